import { eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { shopOrders } from "@/db/schema";
import type { ShopperActor } from "@/lib/auth/actor";
import { applyCheckout } from "@/lib/checkout/apply-checkout";
import { redeemPromo } from "@/lib/checkout/redeem-promo";
import { releaseCheckout } from "@/lib/checkout/release-checkout";
import { normalizeCode } from "@/lib/coupons/codes";
import { AppError, isAppError } from "@/lib/errors";
import type { PromoResult } from "@/db/schema";
import type { RequestMeta } from "@/lib/request-meta";
import { appliedRedemption, assertCurrentCheckout, cartRow, setCartCoupon, startNewCheckout, viewCart, writeCartLine, type CartView } from "./cart";
import { couponMessage } from "./messages";
import type { ApplyCouponInput, CheckoutInput, SetCartLineInput } from "./schemas";

export interface CouponAnswer {
  result: PromoResult;
  reason?: string;
  /** What the shopper reads (lib/shop/messages.ts). */
  message: string;
  retryAfterSeconds?: number;
  cart: CartView;
}

/**
 * Reserves `code` for the cart's checkout through the internal promo redeem (seed 002): the same
 * pipeline, rate limits, attempt log and no-oracle answers as any merchant's checkout. One coupon
 * per checkout: applying another first releases the one held.
 */
export async function applyCoupon(db: Db, shopper: ShopperActor, input: ApplyCouponInput, meta: RequestMeta): Promise<CouponAnswer> {
  const before = await viewCart(db, shopper);
  assertCurrentCheckout(before, input.checkoutId);
  if (!before.pricingCart) throw new AppError("VALIDATION_ERROR", "Your cart is empty", { details: [{ path: ["code"], message: "Add something to your cart first" }] });
  const code = normalizeCode(input.code);
  if (before.coupon && before.coupon.code !== code) await removeCoupon(db, shopper, { checkoutId: input.checkoutId }, meta);
  try {
    const answer = await redeemPromo(db, shopper, { userId: shopper.userId, code, checkoutId: input.checkoutId, cart: before.pricingCart, ip: meta.ip ?? undefined }, meta);
    if (answer.result === "ACCEPTED") await setCartCoupon(db, shopper.userId, input.checkoutId, code);
    const reason = "reason" in answer ? answer.reason : undefined;
    return { result: answer.result, reason, message: couponMessage(answer.result, reason), cart: await viewCart(db, shopper) };
  } catch (error) {
    if (!isAppError(error) || error.code !== "RATE_LIMITED") throw error;
    const retryAfterSeconds = Number(error.context.retryAfter) || undefined;
    return { result: "RATE_LIMITED", message: couponMessage("RATE_LIMITED", undefined, retryAfterSeconds), retryAfterSeconds, cart: await viewCart(db, shopper) };
  }
}

/** Releases the checkout's reservation (the coupon goes back to the shopper's wallet) and forgets the code. */
export async function removeCoupon(db: Db, shopper: ShopperActor, input: CheckoutInput, meta: RequestMeta): Promise<CartView> {
  assertCurrentCheckout(await cartRow(db, shopper.userId), input.checkoutId);
  await releaseCheckout(db, shopper, { checkoutId: input.checkoutId }, meta);
  await setCartCoupon(db, shopper.userId, input.checkoutId, null);
  return viewCart(db, shopper);
}

/**
 * Changes a line of the cart. A reserved coupon priced the old cart, so it is released and reserved
 * again for the new one; if the new cart no longer qualifies, the coupon comes off with its message.
 */
export async function setCartLine(db: Db, shopper: ShopperActor, input: SetCartLineInput, meta: RequestMeta): Promise<{ cart: CartView; couponMessage?: string }> {
  const { checkoutId, couponCode } = await writeCartLine(db, shopper, input.productId, input.quantity);
  if (!couponCode) return { cart: await viewCart(db, shopper) };
  await releaseCheckout(db, shopper, { checkoutId }, meta);
  const cart = await viewCart(db, shopper);
  if (!cart.pricingCart) {
    await setCartCoupon(db, shopper.userId, checkoutId, null);
    return { cart: await viewCart(db, shopper) };
  }
  const answer = await applyCoupon(db, shopper, { checkoutId, code: couponCode }, meta);
  if (answer.result === "ACCEPTED") return { cart: answer.cart };
  await setCartCoupon(db, shopper.userId, checkoutId, null);
  return { cart: await viewCart(db, shopper), couponMessage: `${couponCode} was removed: ${answer.message}` };
}

export type ShopOrder = typeof shopOrders.$inferSelect;

/** The order id the store gives a checkout: one checkout, one order, whoever submits it how often. */
const orderIdOf = (checkoutId: string) => `SO-${checkoutId}`;

/**
 * Pays the cart. With a reserved coupon, its use is consumed through the internal promo apply
 * (seed 002), which is idempotent by orderId; the order row is unique by checkout. So a double click,
 * a retried request or two tabs paying at once make one order and consume one use. The cart then
 * starts over with a new checkout id; a submit that finds its checkout paid by a twin answers the
 * twin's order. A coupon whose reservation lapsed is not paid for silently: the shopper applies it
 * again or removes it first.
 */
export async function placeOrder(db: Db, shopper: ShopperActor, input: CheckoutInput, meta: RequestMeta): Promise<ShopOrder> {
  const placed = await orderOfCheckout(db, shopper, input.checkoutId);
  if (placed) return placed;
  const cart = await viewCart(db, shopper);
  if (cart.checkoutId !== input.checkoutId) {
    // A twin submit (double click, retry, second tab) finished between the two reads: its order is this one's.
    const twin = await orderOfCheckout(db, shopper, input.checkoutId);
    if (twin) return twin;
    assertCurrentCheckout(cart, input.checkoutId);
  }
  if (!cart.tower) throw new AppError("VALIDATION_ERROR", "Your cart is empty");
  const orderId = orderIdOf(input.checkoutId);
  let tower = cart.tower;
  if (cart.coupon?.status === "LAPSED") {
    // Not live any more: either it ran out, or a twin submit has just consumed it for this very order.
    const applied = await appliedRedemption(db, input.checkoutId, orderId);
    if (!applied?.priceTower) {
      throw new AppError("RESERVATION_EXPIRED", `The reservation of ${cart.coupon.code} ran out before payment. Apply it again or remove it, then pay.`);
    }
    tower = applied.priceTower;
  }
  if (cart.coupon) {
    try {
      await applyCheckout(db, shopper, { checkoutId: input.checkoutId, orderId }, meta);
    } catch (error) {
      if (isAppError(error) && (error.code === "RESERVATION_EXPIRED" || error.code === "RESERVATION_RELEASED")) {
        throw new AppError("RESERVATION_EXPIRED", `The reservation of ${cart.coupon.code} ran out before payment. Apply it again or remove it, then pay.`);
      }
      throw error;
    }
  }
  await db
    .insert(shopOrders)
    .values({
      userId: shopper.userId,
      checkoutId: input.checkoutId,
      orderId,
      priceTower: tower,
      couponCode: cart.coupon?.code ?? null,
      discountAmount: tower.couponDiscount + tower.shippingDiscount,
      total: tower.total,
      currency: tower.currency,
      itemCount: cart.itemCount,
    })
    .onConflictDoNothing();
  await startNewCheckout(db, shopper.userId, input.checkoutId);
  return (await orderOfCheckout(db, shopper, input.checkoutId))!;
}

async function orderOfCheckout(db: Db, shopper: ShopperActor, checkoutId: string) {
  const [order] = await db.select().from(shopOrders).where(eq(shopOrders.checkoutId, checkoutId));
  if (order && order.userId !== shopper.userId) throw new AppError("NOT_FOUND", "No such checkout");
  return order ?? null;
}
