/** Stable machine codes of the API (DESIGN §6) and the HTTP status each maps to. */
const ERROR_STATUS = {
  VALIDATION_ERROR: 400,
  INVALID_JSON: 400,
  /** Uses exhausted: the seed answers 400 for a spent code. */
  COUPON_ALREADY_REDEEMED: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  /** The book was paused by ops or the guard; only ops may resume it. */
  PAUSED_BY_OPS: 403,
  NOT_FOUND: 404,
  BOOK_NOT_FOUND: 404,
  COUPON_NOT_FOUND: 404,
  RESERVATION_NOT_FOUND: 404,
  /** No purchase of this order (or this purchase id) was recorded by an apply. */
  PURCHASE_NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  CONFLICT: 409,
  INVALID_STATUS_TRANSITION: 409,
  BOOK_NOT_ACTIVE: 409,
  BOOK_EXPIRED: 409,
  /** Limits may be raised, never lowered below what is already in use. */
  LIMIT_BELOW_USAGE: 409,
  WRONG_CODE_KIND: 409,
  NO_CODES: 409,
  NO_CODES_AVAILABLE: 409,
  MAX_CODES_PER_USER_REACHED: 409,
  COUPON_ALREADY_ASSIGNED: 409,
  COUPON_NOT_ASSIGNED_TO_USER: 409,
  COUPON_DISABLED: 409,
  COUPON_LOCKED: 409,
  COUPON_NOT_LOCKED: 409,
  /** The book's max_total_redemptions is used up (applied plus live reservations). */
  CAMPAIGN_EXHAUSTED: 409,
  /** The checkoutId or orderId already consumed another use of this coupon. */
  CHECKOUT_ALREADY_REDEEMED: 409,
  /** The checkout's reservation expired before the apply arrived: nothing was consumed. */
  RESERVATION_EXPIRED: 409,
  /** The checkout released its reservation before the apply arrived. */
  RESERVATION_RELEASED: 409,
  IDEMPOTENCY_KEY_IN_USE: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  IDEMPOTENCY_KEY_REUSED: 422,
  /** The pattern's keyspace is under 100× the codes the book would hold. */
  PATTERN_TOO_GUESSABLE: 422,
  /** A real coupon whose conditions the cart does not meet; `reason` says which (DESIGN §6). */
  COUPON_NOT_APPLICABLE: 422,
  RATE_LIMITED: 429,
  INTERNAL_ERROR: 500,
  SERVICE_UNAVAILABLE: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

/** The HTTP status an error code is answered with (the published contract groups codes by it). */
export const errorStatus = (code: ErrorCode): number => ERROR_STATUS[code];

/** The one domain error: services throw it, withRoute maps it to `{ error, code, ...context }`. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly context: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, context: Record<string, unknown> = {}) {
    super(message);
    this.name = "AppError";
    this.code = code;
    this.context = context;
  }

  get status(): number {
    return errorStatus(this.code);
  }
}

export const isAppError = (error: unknown): error is AppError => error instanceof AppError;

/** The driver error (a PostgreSQL error) inside an error, if any; drizzle ≥ 0.44 wraps it in `cause`. */
function driverError(error: unknown): { code: string; message?: unknown } | undefined {
  for (let current = error, depth = 0; current && depth < 4; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string" && /^[0-9A-Z]{5}$/.test(code)) return current as { code: string; message?: unknown };
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** PostgreSQL error code of a driver error. */
export const pgErrorCode = (error: unknown): string | undefined => driverError(error)?.code;

/** Values quoted in a message (`invalid input syntax for type integer: "SUMMER-X7K2"`) become `"…"`. */
const maskQuoted = (message: string) => message.replace(/"[^"]*"/g, '"…"').replace(/'[^']*'/g, "'…'").slice(0, 300);

/**
 * What may be logged of an unexpected error: its name, the PostgreSQL code, a message with every
 * quoted value masked, and the stack's frames. Never the message of a failed query: drizzle's holds
 * the SQL and its parameters (coupon codes, user ids), and so does the head of its stack.
 */
export function loggableError(error: unknown) {
  const err = error instanceof Error ? error : undefined;
  const driver = driverError(error);
  const message = driver ? driver.message : err?.message;
  return {
    errorName: err?.name ?? typeof error,
    pgCode: driver?.code,
    error: typeof message === "string" && !message.startsWith("Failed query") ? maskQuoted(message) : undefined,
    stack: err?.stack
      ?.split("\n")
      .filter((line) => /^\s+at /.test(line))
      .slice(0, 8)
      .join("\n"),
  };
}
