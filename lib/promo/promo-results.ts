import { AppError, isAppError } from "@/lib/errors";

/** The causes a refusal may show its caller, by result (DESIGN §6); INVALID shows none (no oracle). */
export const REFUSAL_REASONS = {
  NOT_APPLICABLE: [
    "BELOW_MINIMUM",
    "CURRENCY_MISMATCH",
    "NO_ELIGIBLE_ITEMS",
    "NOTHING_TO_DISCOUNT",
    "STACKING",
    "MAX_CODES_PER_USER",
    "RESERVED_BY_ANOTHER_CHECKOUT",
    "CONCURRENT_REQUEST",
    "ALREADY_REDEEMED_IN_CHECKOUT",
    "NOT_STARTED",
  ],
  EXPIRED: ["BOOK_EXPIRED", "BOOK_ARCHIVED"],
  PAUSED: ["BOOK_PAUSED"],
  EXHAUSTED: ["CODE_USES_EXHAUSTED", "TOTAL_REDEMPTIONS_REACHED", "BUDGET_EXHAUSTED"],
} as const;
type ShownRefusal = { [R in keyof typeof REFUSAL_REASONS]: { result: R; reason: (typeof REFUSAL_REASONS)[R][number] } }[keyof typeof REFUSAL_REASONS];

/**
 * A refusal's result and its precise cause: always in promo_attempts; shown to callers except for
 * INVALID, whose cause (UNKNOWN_CODE, NOT_OWNER, a concealed book state, ...) only ops may read.
 */
export type Refusal = { result: "INVALID"; reason: string } | ShownRefusal;

/**
 * The error of an unknown code, carrying the precise cause of a refusal only the code's owner may
 * learn (its book paused, archived, expired, ...): its HTTP answer, wherever it ends up, is the
 * unknown code's, and the cause reaches nothing but the attempt row.
 */
class ConcealedRefusal extends AppError {
  constructor(readonly concealedReason: string) {
    super("COUPON_NOT_FOUND", "Coupon not found");
  }
}

/**
 * The promo result (DESIGN §6) of a refusal of the checkout pipeline or of a public lock/redeem:
 * INVALID for no such code, someone else's code, a disabled one or one concealed by
 * concealedCoupon, one answer for all;
 * NOT_APPLICABLE for a real code whose conditions fail; EXPIRED, PAUSED, EXHAUSTED as they say.
 * Null for errors that are not refusals (they stay errors).
 */
export function refusalOf(error: unknown): Refusal | null {
  if (!isAppError(error)) return null;
  const context = error.context;
  switch (error.code) {
    case "COUPON_NOT_FOUND":
      // A real code refused for a cause only its owner may learn is answered like an unknown one
      // (concealedCoupon); the cause stays in the attempt for ops.
      return { result: "INVALID", reason: error instanceof ConcealedRefusal ? error.concealedReason : "UNKNOWN_CODE" };
    case "COUPON_DISABLED":
      return { result: "INVALID", reason: "CODE_DISABLED" };
    case "COUPON_NOT_ASSIGNED_TO_USER":
      return { result: "INVALID", reason: "NOT_OWNER" };
    case "BOOK_EXPIRED":
      return { result: "EXPIRED", reason: "BOOK_EXPIRED" };
    case "BOOK_NOT_ACTIVE":
      if (context.status === "PAUSED") return { result: "PAUSED", reason: "BOOK_PAUSED" };
      if (context.status === "ARCHIVED") return { result: "EXPIRED", reason: "BOOK_ARCHIVED" };
      if (context.validFrom) return { result: "NOT_APPLICABLE", reason: "NOT_STARTED" };
      return { result: "INVALID", reason: "BOOK_DRAFT" };
    case "COUPON_ALREADY_REDEEMED":
      return { result: "EXHAUSTED", reason: "CODE_USES_EXHAUSTED" };
    case "CAMPAIGN_EXHAUSTED":
      return { result: "EXHAUSTED", reason: context.cap === "BUDGET" ? "BUDGET_EXHAUSTED" : "TOTAL_REDEMPTIONS_REACHED" };
    case "MAX_CODES_PER_USER_REACHED":
      return { result: "NOT_APPLICABLE", reason: "MAX_CODES_PER_USER" };
    case "COUPON_LOCKED":
      // CONCURRENT_REQUEST: another request held the coupon with its last use (fail fast, lib/coupons/coupon-target.ts).
      return { result: "NOT_APPLICABLE", reason: context.reason === "CONCURRENT_REQUEST" ? "CONCURRENT_REQUEST" : "RESERVED_BY_ANOTHER_CHECKOUT" };
    case "CHECKOUT_ALREADY_REDEEMED":
      return { result: "NOT_APPLICABLE", reason: "ALREADY_REDEEMED_IN_CHECKOUT" };
    case "COUPON_NOT_APPLICABLE":
      // lib/coupons/price-use.ts names the cart's NotApplicableReason, reservations.ts STACKING.
      return { result: "NOT_APPLICABLE", reason: context.reason as (typeof REFUSAL_REASONS)["NOT_APPLICABLE"][number] };
    default:
      return null;
  }
}

/** `error` as a non-owner must see it: a refusal becomes an unknown code's; anything else stays as it is. */
export function concealedCoupon(error: unknown) {
  const refusal = refusalOf(error);
  return refusal ? new ConcealedRefusal(refusal.reason) : error;
}
