import { z } from "zod";
import { text } from "@/lib/validation";
import { normalizeCode } from "@/lib/coupons/codes";
import { externalId, userIdSchema } from "@/lib/coupons/schemas";
import { Cart } from "@/lib/pricing/schemas";


/** What a shopper typed, normalized (trim, uppercase, no whitespace); a malformed code is simply INVALID. */
const typedCode = text().max(200).transform(normalizeCode);

export const PromoRedeemInput = z.object({
  userId: userIdSchema,
  code: typedCode,
  checkoutId: externalId,
  cart: Cart,
  /** The shopper's ip as the calling service saw it: rate-limited and audited (hashed in attempts). */
  ip: z.union([z.ipv4(), z.ipv6()]).optional(),
});
export type PromoRedeemInput = z.infer<typeof PromoRedeemInput>;

export const PromoApplyInput = z.object({ checkoutId: externalId, orderId: externalId });
export type PromoApplyInput = z.infer<typeof PromoApplyInput>;

export const PromoReleaseInput = z.object({ checkoutId: externalId });
export type PromoReleaseInput = z.infer<typeof PromoReleaseInput>;

export const ValidateCouponInput = z.object({
  userId: userIdSchema.optional(),
  cart: Cart,
  /** The checkout the quote is for: its own reservation is reused, another coupon of the seller is STACKING. */
  checkoutId: externalId.optional(),
});
export type ValidateCouponInput = z.infer<typeof ValidateCouponInput>;
