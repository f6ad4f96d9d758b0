import { z } from "zod";
import { text } from "@/lib/validation";
import { STORE } from "./store";

const productId = text().uuid();
/** The cart's checkout as the page saw it: an action for a checkout that has since closed is refused. */
const checkoutId = text().uuid();

export const SetCartLineInput = z.object({ productId, quantity: z.number().int().min(0).max(STORE.maxQuantity) });
export type SetCartLineInput = z.infer<typeof SetCartLineInput>;

export const ApplyCouponInput = z.object({ checkoutId, code: text().trim().min(1, "Enter a code").max(64) });
export type ApplyCouponInput = z.infer<typeof ApplyCouponInput>;

export const CheckoutInput = z.object({ checkoutId });
export type CheckoutInput = z.infer<typeof CheckoutInput>;

export const ClaimOfferInput = z.object({ couponBookId: text().uuid() });
export type ClaimOfferInput = z.infer<typeof ClaimOfferInput>;
