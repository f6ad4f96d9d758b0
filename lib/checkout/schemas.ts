import { z } from "zod";
import { text } from "@/lib/validation";
import { normalizeCode } from "@/lib/coupons/codes";
import { externalId, userIdSchema } from "@/lib/coupons/schemas";
import { Cart } from "@/lib/pricing/schemas";


/** What a shopper typed, normalized (trim, uppercase, no whitespace); a malformed code is simply INVALID. */
const typedCode = text().max(200).transform(normalizeCode);

export const PromoRedeemInput = z.object({
  userId: userIdSchema.describe("The shopper, as the calling store knows them (opaque text)"),
  code: typedCode.describe("What the shopper typed; trimmed, uppercased and stripped of whitespace before the lookup"),
  checkoutId: externalId.describe("The checkout: the same one again answers its reservation (idempotency by checkoutId)"),
  cart: Cart,
  /** The shopper's ip as the calling service saw it: rate-limited and audited (hashed in attempts). */
  ip: z
    .union([z.ipv4(), z.ipv6()])
    .optional()
    .describe("The shopper's ip as the calling service saw it: rate-limited per ip and audited (hashed in promo_attempts); without it, no per-ip limit"),
});
export type PromoRedeemInput = z.infer<typeof PromoRedeemInput>;

export const PromoApplyInput = z.object({
  checkoutId: externalId,
  orderId: externalId.describe("The paid order: consumption by orderId, so the same orderId again answers the first result"),
});
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
