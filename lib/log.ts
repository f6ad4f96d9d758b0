import pino from "pino";
import { env } from "@/lib/env";

/** JSON logs. Never pass raw coupon codes or secrets: the redact list is a second line of defence. */
export const logger = pino({
  level: env().NODE_ENV === "test" ? "silent" : env().LOG_LEVEL,
  redact: ["code", "*.code", "token", "*.token", "authorization", "*.authorization", "password", "*.password"],
  base: { service: "coupon-platform" },
});
