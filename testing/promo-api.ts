import { POST as validateRoute } from "@/app/api/coupons/[code]/validate/route";
import { POST as applyRoute } from "@/app/api/internal/promo/apply/route";
import { POST as redeemRoute } from "@/app/api/internal/promo/redeem/route";
import { POST as releaseRoute } from "@/app/api/internal/promo/release/route";
import { settings } from "@/lib/env";
import type { Caller } from "./coupon-api";
import { businessWithKey, genericBook } from "./fixtures";
import { call } from "./http";

/** The internal caller (INTERNAL_API_TOKEN is set for the integration project in vitest.config.ts). */
export const internal = (): Caller => ({ token: settings("INTERNAL_API_TOKEN").INTERNAL_API_TOKEN! });

export const promoRedeem = (body: Record<string, unknown>, who: Caller = internal()) =>
  call(redeemRoute, { path: "/api/internal/promo/redeem", ...who, body });
export const promoApply = (body: Record<string, unknown>, who: Caller = internal()) =>
  call(applyRoute, { path: "/api/internal/promo/apply", ...who, body });
export const promoRelease = (body: Record<string, unknown>, who: Caller = internal()) =>
  call(releaseRoute, { path: "/api/internal/promo/release", ...who, body });
export const validate = (who: Caller, code: string, body: Record<string, unknown>) =>
  call(validateRoute, { path: `/api/coupons/${encodeURIComponent(code)}/validate`, params: { code }, ...who, body });

/** A cart of one seller's items (amounts in cents): `subtotal` split over two lines. */
export function cartOf(businessId: string, subtotal = 10_000, extra: Record<string, unknown> = {}) {
  const first = Math.floor(subtotal / 2);
  return {
    currency: "USD",
    items: [
      { sku: "sku-a", businessId, unitPrice: first, quantity: 1 },
      { sku: "sku-b", businessId, unitPrice: subtotal - first, quantity: 1 },
    ],
    shipping: 500,
    taxRate: 0,
    ...extra,
  };
}

/**
 * One checkout holding two sellers' coupons (AOFF, 300 off at seller a; BOFF, 200 off at seller b),
 * reserved by shopper "ana" under checkoutId "two"; the caller applies it.
 */
export async function twoSellerCheckout() {
  const a = await businessWithKey();
  const b = await businessWithKey();
  await genericBook(a.businessId, "AOFF", { discountType: "FIXED", discountValue: 300 });
  await genericBook(b.businessId, "BOFF", { discountType: "FIXED", discountValue: 200 });
  const cart = { currency: "USD", items: [...cartOf(a.businessId, 4000).items, ...cartOf(b.businessId, 6000).items] };
  for (const code of ["AOFF", "BOFF"]) {
    const res = await promoRedeem({ userId: "ana", code, checkoutId: "two", cart });
    if (res.body.result !== "ACCEPTED") throw new Error(`${code} was not reserved: ${JSON.stringify(res.body)}`);
  }
  return { a, b };
}
