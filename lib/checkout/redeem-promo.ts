import type { Db } from "@/db/client";
import { actorLabel, type Actor } from "@/lib/auth/actor";
import { AppError } from "@/lib/errors";
import type { Redemption } from "@/lib/coupons/reservations";
import type { RequestMeta } from "@/lib/request-meta";
import { priceCart, type PriceTower } from "@/lib/pricing/price-tower";
import { cartBusinesses } from "@/lib/pricing/schemas";
import { attemptTransaction, type AttemptCall } from "@/lib/promo/attempt-transaction";
import { recordAttempt } from "@/lib/promo/attempts";
import { shopperLimitKeys } from "@/lib/rate-limit/limits";
import { rateLimiter } from "@/lib/rate-limit/rate-limiter";
import { reserveForCheckout } from "./reserve-for-checkout";
import type { PromoResult } from "@/db/schema";
import type { PromoRedeemInput } from "./schemas";

export interface PromoRedeemResponse {
  result: PromoResult;
  /** Why a real code was refused; absent for INVALID (no oracle) and ACCEPTED. */
  reason?: string;
  reservationId: string | null;
  couponBookId: string | null;
  checkoutId: string;
  discountAmount: number;
  /** The cart with the coupon when ACCEPTED, without it otherwise; null when rate-limited (the 429's body). */
  priceTower: PriceTower | null;
  expiresAt: string | null;
}

const refused = (input: PromoRedeemInput, result: PromoResult, reason: string | undefined, priceTower: PriceTower | null): PromoRedeemResponse => ({
  result,
  ...(reason && result !== "INVALID" ? { reason } : {}),
  reservationId: null,
  couponBookId: null,
  checkoutId: input.checkoutId,
  discountAmount: 0,
  priceTower,
  expiresAt: null,
});

const acceptedResponse = (reservation: Redemption, cart: PromoRedeemInput["cart"]) => ({
  result: "ACCEPTED" as const,
  reservationId: reservation.id,
  couponBookId: reservation.bookId,
  checkoutId: reservation.checkoutId,
  discountAmount: reservation.discountAmount,
  priceTower: reservation.priceTower ?? priceCart(cart),
  expiresAt: reservation.expiresAt!.toISOString(),
});

/**
 * POST /api/internal/promo/redeem (seed 002): a shopper's code applied to a checkout. Rate-limited
 * per shopper and per the shopper's ip first; then the checkout pipeline reserves the coupon, or
 * refuses it with one of the results of DESIGN §6 (RATE_LIMITED is thrown as a 429 AppError). Every
 * call writes one promo_attempts row (attemptTransaction): in the reservation's transaction when
 * accepted, after the rollback when refused, before the throw when rate-limited.
 */
export async function redeemPromo(db: Db, actor: Actor, input: PromoRedeemInput, meta: RequestMeta): Promise<PromoRedeemResponse> {
  const businessIds = cartBusinesses(input.cart);
  const attempt: AttemptCall = {
    code: input.code,
    userId: input.userId,
    checkoutId: input.checkoutId,
    ip: input.ip,
    businessIds,
    actor: actorLabel(actor),
  };

  const verdict = await rateLimiter().check(shopperLimitKeys(input.userId, input.ip));
  if (verdict.limited) {
    await recordAttempt(db, { ...attempt, book: null, result: "RATE_LIMITED", reason: `RATE_LIMITED_${verdict.kind.toUpperCase()}` });
    // A 429 like every other, through withRoute's mapping; its body keeps the redeem answer's fields (DESIGN §6).
    throw new AppError("RATE_LIMITED", "Too many attempts; retry later", {
      ...refused(input, "RATE_LIMITED", undefined, null),
      retryAfter: verdict.retryAfterSeconds,
    });
  }

  // The audit trail records the shopper's ip, not the calling service's.
  const shopperMeta = { ip: input.ip ?? meta.ip, userAgent: meta.userAgent };
  const outcome = await attemptTransaction(db, attempt, async (tx, trace, accept) => {
    const request = { ...input, businessIds, claimUnassigned: true, revealCauses: false };
    const { target, reservation, replayed } = await reserveForCheckout(tx, actor, shopperMeta, request, trace, {
      alongside: ({ book }) => accept(book, "RESERVED"),
    });
    return { value: acceptedResponse(reservation, input.cart), book: target.book, reason: replayed ? "SAME_CHECKOUT" : "RESERVED" };
  });
  if (outcome.accepted) return outcome.value;
  return refused(input, outcome.refusal.result, outcome.refusal.reason, priceCart(input.cart));
}
