import { randomUUID } from "node:crypto";
import type { Db } from "@/db/client";
import { actorBusinessId, isShopper, type Actor } from "@/lib/auth/actor";
import { actingUserId } from "@/lib/coupons/acting-user";
import type { RequestMeta } from "@/lib/request-meta";
import { priceCart, type PriceTower } from "@/lib/pricing/price-tower";
import { cartBusinesses } from "@/lib/pricing/schemas";
import { refusalOf } from "./promo-results";
import { reserveForCheckout } from "./reserve-for-checkout";
import type { PromoResult } from "@/db/schema";
import type { ValidateCouponInput } from "./schemas";

export interface CouponQuote {
  code: string;
  result: Exclude<PromoResult, "RATE_LIMITED">;
  applicable: boolean;
  reason?: string;
  couponBookId: string | null;
  discountAmount: number;
  priceTower: PriceTower;
}

/** Carries the quote out of the transaction it rolls back. */
class QuoteOnly extends Error {
  constructor(readonly quote: CouponQuote) {
    super("quote only");
  }
}

/**
 * POST /api/coupons/:code/validate: what the code would do to this cart, without doing it. It runs
 * the very pipeline of the internal redeem and rolls it back, so a quote and a redeem can never
 * disagree, and nothing (claim, lock, audit, attempt) is left behind. Sellers and API keys look in
 * their own business and see every reason; everyone else looks among the cart's businesses and
 * gets INVALID without a reason for unknown, foreign or disabled codes. Shoppers only quote codes
 * they hold or public (GENERIC) ones.
 */
export async function validateCoupon(db: Db, actor: Actor, code: string, input: ValidateCouponInput, meta: RequestMeta): Promise<CouponQuote> {
  const userId = actingUserId(actor, input.userId);
  const own = actorBusinessId(actor);
  const request = {
    code,
    userId,
    cart: input.cart,
    checkoutId: input.checkoutId ?? `quote:${randomUUID()}`,
    businessIds: own ? [own] : cartBusinesses(input.cart),
    claimUnassigned: !isShopper(actor),
  };
  try {
    await db.transaction(async (tx) => {
      const { reservation } = await reserveForCheckout(tx, actor, meta, request);
      throw new QuoteOnly({
        code,
        result: "ACCEPTED",
        applicable: true,
        couponBookId: reservation.bookId,
        discountAmount: reservation.discountAmount,
        priceTower: reservation.priceTower ?? priceCart(input.cart),
      });
    });
    throw new Error("unreachable: the quote transaction always rolls back");
  } catch (error) {
    if (error instanceof QuoteOnly) return error.quote;
    const refusal = refusalOf(error);
    if (!refusal) throw error;
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
}
