import type { Db } from "@/db/client";
import type { Actor } from "@/lib/auth/actor";
import { isLockLive } from "@/lib/coupons/assignment-dto";
import { expireStaleLock, releaseAssignment } from "@/lib/coupons/reservations";
import type { RequestMeta } from "@/lib/request-meta";
import { checkoutLedger, lockCheckout, redemptionView, type ReleasedCheckout } from "./checkout-ledger";
import type { PromoReleaseInput } from "./schemas";

/**
 * POST /api/internal/promo/release: the shopper removed the coupon or abandoned the checkout. Its
 * live reservations become PR_RELEASED and their coupons ASSIGNED again; lapsed ones are tidied to
 * PR_EXPIRED; consumed ones are left alone. Idempotent: a second call changes nothing.
 */
export async function releaseCheckout(db: Db, actor: Actor, input: PromoReleaseInput, meta: RequestMeta): Promise<ReleasedCheckout> {
  return db.transaction(async (tx) => {
    const { targets } = await lockCheckout(tx, input.checkoutId);
    for (const target of targets.values()) {
      if (target.assignment.lockCheckoutId !== input.checkoutId) continue;
      if (isLockLive(target.assignment, target.now)) await releaseAssignment(tx, actor, meta, target, "released");
      else await expireStaleLock(tx, actor, meta, target);
    }
    const ledger = await checkoutLedger(tx, input.checkoutId, targets);
    return { checkoutId: input.checkoutId, redemptions: ledger.map(redemptionView) };
  });
}
