import pino from "pino";
import { settings } from "@/lib/env";

const { NODE_ENV, LOG_LEVEL } = settings("NODE_ENV", "LOG_LEVEL");

const stdout = pino.destination({ dest: 1, sync: true });
let capture: ((line: string) => void) | null = null;

/** JSON logs. Never pass raw coupon codes or secrets: the redact list is a second line of defence. */
export const logger = pino(
  {
    level: NODE_ENV === "test" ? "silent" : LOG_LEVEL,
    redact: ["code", "*.code", "token", "*.token", "authorization", "*.authorization", "password", "*.password"],
    base: { service: "coupon-platform" },
  },
  { write: (line: string) => (capture ? capture(line) : stdout.write(line)) },
);

/**
 * Tests: collect every log line (at every level) instead of printing it, so a test can read what an
 * operator would see. Returns the lines and a function that restores normal logging.
 */
export function captureLogs() {
  const lines: string[] = [];
  const level = logger.level;
  capture = (line) => lines.push(line);
  logger.level = "trace";
  return {
    lines,
    stop: () => {
      capture = null;
      logger.level = level;
    },
  };
}
