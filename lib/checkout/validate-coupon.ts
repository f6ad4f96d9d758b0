import { randomUUID } from "node:crypto";
import type { Db } from "@/db/client";
import { actorBusinessId, actorLabel, isShopper, type Actor } from "@/lib/auth/actor";
import { actingUserId } from "@/lib/coupons/acting-user";
import type { RequestMeta } from "@/lib/request-meta";
import { priceCart } from "@/lib/pricing/price-tower";
import type { CouponQuoteDto } from "@/lib/coupons/coupon-quote-dto";
import { cartBusinesses } from "@/lib/pricing/schemas";
import { attemptIp, attemptTransaction } from "@/lib/promo/attempt-transaction";
import { reserveForCheckout } from "./reserve-for-checkout";
import type { ValidateCouponInput } from "./schemas";

/** The quote, as published (lib/coupons/coupon-quote-dto.ts). */
export type CouponQuote = CouponQuoteDto;

/**
 * POST /api/coupons/:code/validate: what the code would do to this cart, without doing it. It runs
 * the very pipeline of the internal redeem and rolls it back, so a quote and a redeem can never
 * disagree, and nothing (claim, lock, audit) is left behind but its promo_attempts row (written
 * after the rollback: a quote is a try of the code, and the guard must see guessers who only
 * quote). Sellers and API keys look in their own business and see every reason; everyone else
 * looks among the cart's businesses and gets INVALID without a reason for unknown, foreign,
 * disabled or concealed codes (DESIGN §6). Shoppers only quote codes they hold or public (GENERIC) ones.
 */
export async function validateCoupon(db: Db, actor: Actor, code: string, input: ValidateCouponInput, meta: RequestMeta): Promise<CouponQuote> {
  const userId = actingUserId(actor, input.userId);
  const own = actorBusinessId(actor);
  const businessIds = own ? [own] : cartBusinesses(input.cart);
  const request = {
    code,
    userId,
    cart: input.cart,
    checkoutId: input.checkoutId ?? `quote:${randomUUID()}`,
    businessIds,
    claimUnassigned: !isShopper(actor),
    revealCauses: own !== null,
  };
  const call = { code, userId, checkoutId: input.checkoutId ?? null, ip: attemptIp(actor, meta), businessIds, actor: actorLabel(actor) };
  const outcome = await attemptTransaction(
    db,
    call,
    async (tx, trace) => {
      const { target, reservation, replayed } = await reserveForCheckout(tx, actor, meta, request, trace);
      const quote: CouponQuote = {
        code,
        result: "ACCEPTED",
        applicable: true,
        couponBookId: reservation.bookId,
        discountAmount: reservation.discountAmount,
        priceTower: reservation.priceTower ?? priceCart(input.cart),
      };
      return { value: quote, book: target.book, reason: replayed ? "QUOTE_SAME_CHECKOUT" : "QUOTE" };
    },
    { rollback: true },
  );
  if (outcome.accepted) return outcome.value;
  const { refusal } = outcome;
  const showReason = own !== null || refusal.result !== "INVALID";
  return {
    code,
    result: refusal.result,
    applicable: false,
    ...(showReason ? { reason: refusal.reason } : {}),
    couponBookId: null,
    discountAmount: 0,
    priceTower: priceCart(input.cart),
  };
}
