import type { PromoResult } from "@/db/schema";

/**
 * What the shopper reads for each answer of the coupon field: one message per result, and per
 * reason where the reason helps the shopper act. An unknown code, someone else's code and a
 * disabled one all read INVALID (the services already conceal which): no oracle.
 */
const NOT_APPLICABLE: Record<string, string> = {
  BELOW_MINIMUM: "Your order from this seller is below the coupon's minimum.",
  NO_ELIGIBLE_ITEMS: "This coupon is for another seller: nothing in your cart is from them.",
  CURRENCY_MISMATCH: "This coupon is in another currency than your cart.",
  NOTHING_TO_DISCOUNT: "There is nothing in your cart this coupon can take off.",
  NOT_STARTED: "This coupon is not valid yet.",
  MAX_CODES_PER_USER: "You already hold as many codes of this promotion as it allows.",
  RESERVED_BY_ANOTHER_CHECKOUT: "This code is being used in another checkout right now. Finish or leave that checkout, or wait a few minutes.",
  CONCURRENT_REQUEST: "This code is being applied in another checkout at this very moment. Try again in a moment.",
  ALREADY_REDEEMED_IN_CHECKOUT: "This checkout already used this coupon.",
};

const EXHAUSTED: Record<string, string> = {
  CODE_USES_EXHAUSTED: "You have already used this code.",
  BUDGET_EXHAUSTED: "This promotion has run out.",
  TOTAL_REDEMPTIONS_REACHED: "This promotion has run out.",
};

export function couponMessage(result: PromoResult, reason?: string, retryAfterSeconds?: number): string {
  switch (result) {
    case "ACCEPTED":
      return "Coupon applied.";
    case "INVALID":
      return "This code is not valid. Check it and try again.";
    case "NOT_APPLICABLE":
      return (reason && NOT_APPLICABLE[reason]) ?? "This coupon does not apply to your cart.";
    case "EXPIRED":
      return "This coupon has expired.";
    case "PAUSED":
      return "This promotion is paused right now. Try again later.";
    case "EXHAUSTED":
      return (reason && EXHAUSTED[reason]) ?? "This coupon has been used up.";
    case "RATE_LIMITED":
      return `Too many tries. Wait ${retryAfterSeconds ?? 60} seconds and try again.`;
  }
}
