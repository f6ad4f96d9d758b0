import { z } from "zod";
import { PROMO_RESULTS } from "@/db/schema";
import { PriceTower } from "@/lib/pricing/price-tower";
import { wireId, wireMoney } from "@/lib/wire";

/**
 * The answer of POST /api/coupons/:code/validate (built by lib/checkout/validate-coupon.ts): what
 * the code would do to the cart. A refusal is an answer too, never an error.
 */
export const CouponQuoteDto = z
  .strictObject({
    code: z.string(),
    result: z
      .enum(PROMO_RESULTS)
      .exclude(["RATE_LIMITED"])
      .describe("The internal redeem's vocabulary (a rate-limited shopper gets a 429 instead)"),
    applicable: z.boolean().describe("result is ACCEPTED: a redeem with this cart would take the discount"),
    reason: z
      .string()
      .optional()
      .describe("Why the coupon does not apply (e.g. BELOW_MINIMUM, STACKING, BOOK_PAUSED); absent for INVALID answers to callers that do not own the code (no oracle)"),
    couponBookId: wireId.nullable().describe("The code's book; null when refused"),
    discountAmount: wireMoney.describe("What the coupon would take off this cart; 0 when refused"),
    priceTower: PriceTower.describe("The cart priced with the coupon, or without one when refused"),
  })
  .meta({ id: "CouponQuote" });
export type CouponQuoteDto = z.infer<typeof CouponQuoteDto>;
