import { vi } from "vitest";

const MINUTE = 60_000;

/**
 * Freezes `Date` (only Date: timers, and so the database and Redis clients, keep running) in the
 * middle of the current minute, so a per-minute rate-limit window cannot roll over between a test's
 * hits and let one more through, however slow the machine. Returns the undo.
 */
export function freezeDateMidMinute(): () => void {
  const now = Math.floor(Date.now() / MINUTE) * MINUTE + MINUTE / 2;
  vi.useFakeTimers({ toFake: ["Date"], now });
  return () => vi.useRealTimers();
}
