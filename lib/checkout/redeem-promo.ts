import { z } from "zod";
import type { Db } from "@/db/client";
import { actorLabel, type Actor } from "@/lib/auth/actor";
import { AppError } from "@/lib/errors";
import type { Redemption } from "@/lib/coupons/reservations";
import type { RequestMeta } from "@/lib/request-meta";
import { PriceTower, priceCart } from "@/lib/pricing/price-tower";
import { cartBusinesses } from "@/lib/pricing/schemas";
import { attemptTransaction, type AttemptCall } from "@/lib/promo/attempt-transaction";
import { recordAttempt } from "@/lib/promo/attempts";
import { REFUSAL_REASONS, type Refusal } from "@/lib/promo/promo-results";
import { shopperLimitKeys } from "@/lib/rate-limit/limits";
import { rateLimiter } from "@/lib/rate-limit/rate-limiter";
import { wireDateTime, wireId, wireMoney } from "@/lib/wire";
import { reserveForCheckout } from "./reserve-for-checkout";
import type { PromoRedeemInput } from "./schemas";

/** What a refused redeem answers besides its result: nothing reserved, the cart priced without the coupon. */
const unreserved = {
  reservationId: z.null(),
  couponBookId: z.null(),
  checkoutId: z.string(),
  discountAmount: z.literal(0),
  priceTower: PriceTower,
  expiresAt: z.null(),
};
const refusedWith = <R extends keyof typeof REFUSAL_REASONS>(result: R, id: string, description: string) =>
  z.strictObject({ result: z.literal(result), reason: z.enum(REFUSAL_REASONS[result]), ...unreserved }).meta({ id, description });

/**
 * The internal redeem's answer (DESIGN §6), by `result`: ACCEPTED with the reservation and the cart
 * priced with the coupon, or a refusal with nothing reserved. RATE_LIMITED is never a 200: it is the
 * 429 (rateLimitedContext).
 */
export const PromoRedeemAnswer = z
  .discriminatedUnion("result", [
    z
      .strictObject({
        result: z.literal("ACCEPTED"),
        reservationId: wireId.describe("The reservation (ledger row) the apply will consume"),
        couponBookId: wireId,
        checkoutId: z.string(),
        discountAmount: wireMoney.describe("What the seller funds: the coupon's discount plus any shipping it takes off"),
        priceTower: PriceTower,
        expiresAt: wireDateTime.describe("Until when the coupon is held for this checkout (the book's lockTtlSeconds)"),
      })
      .meta({ id: "PromoRedeemAccepted", description: "Reserved for the checkout; the same checkoutId again answers this same reservation" }),
    z
      .strictObject({ result: z.literal("INVALID"), ...unreserved })
      .meta({
        id: "PromoRedeemInvalid",
        description: "No such code, someone else's, a disabled one, or one the shopper may not learn more about: one answer, without a reason (no oracle)",
      }),
    refusedWith("NOT_APPLICABLE", "PromoRedeemNotApplicable", "A real code whose conditions this cart or checkout does not meet"),
    refusedWith("EXPIRED", "PromoRedeemExpired", "The book is past expiresAt or archived"),
    refusedWith("PAUSED", "PromoRedeemPaused", "The book is paused"),
    refusedWith("EXHAUSTED", "PromoRedeemExhausted", "The code's uses, the campaign's maxTotalRedemptions or its budget are spent"),
  ])
  .meta({ id: "PromoRedeemResult", description: "ACCEPTED with the reservation, or a refusal (INVALID without a reason, the others with theirs) with nothing reserved" });
export type PromoRedeemAnswer = z.infer<typeof PromoRedeemAnswer>;

function refused(input: PromoRedeemInput, refusal: Refusal): PromoRedeemAnswer {
  const nothingReserved = { reservationId: null, couponBookId: null, checkoutId: input.checkoutId, discountAmount: 0 as const, priceTower: priceCart(input.cart), expiresAt: null };
  if (refusal.result === "INVALID") return { result: "INVALID", ...nothingReserved };
  return { ...refusal, ...nothingReserved };
}

/** The 429's context: the redeem answer's fields (DESIGN §6) with nothing priced, and when to retry. */
const rateLimitedContext = (input: PromoRedeemInput, retryAfter: number) => ({
  result: "RATE_LIMITED",
  reservationId: null,
  couponBookId: null,
  checkoutId: input.checkoutId,
  discountAmount: 0,
  priceTower: null,
  expiresAt: null,
  retryAfter,
});

const acceptedResponse = (reservation: Redemption, cart: PromoRedeemInput["cart"]): PromoRedeemAnswer => ({
  result: "ACCEPTED",
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
export async function redeemPromo(db: Db, actor: Actor, input: PromoRedeemInput, meta: RequestMeta): Promise<PromoRedeemAnswer> {
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
    throw new AppError("RATE_LIMITED", "Too many attempts; retry later", rateLimitedContext(input, verdict.retryAfterSeconds));
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
  return refused(input, outcome.refusal);
}
