import { randomUUID } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db/client";
import { renderedOnce } from "@/db/rendered-once";
import { redemptions } from "@/db/schema";
import type { Actor } from "@/lib/auth/actor";
import { PriceTower } from "@/lib/pricing/price-tower";
import type { RequestMeta } from "@/lib/request-meta";
import { wireDateTime, wireMoney } from "@/lib/wire";
import { acceptedOrThrow, attemptTransaction } from "@/lib/promo/attempt-transaction";
import { actingUserId } from "./acting-user";
import { couponAttemptCall } from "./coupon-attempt";
import { findCouponTarget } from "./coupon-target";
import { usableAssignment } from "./coupon-usability";
import { reserveAssignment, type Redemption } from "./reservations";
import type { CouponActionInput } from "./schemas";

/** Seed 003's lock answer; a lock priced with a cart also shows its discount and price tower. */
export const CouponLockDto = z
  .strictObject({
    code: z.string(),
    status: z.literal("LOCKED"),
    lockedAt: wireDateTime,
    lockedUntil: wireDateTime.describe("lockedAt + the book's lockTtlSeconds: past it the lock lapses on its own and the coupon reads ASSIGNED again"),
    checkoutId: z.string().describe("The checkout holding the lock: the one sent, or a generated one when none was"),
    discountAmount: wireMoney.optional().describe("With a cart: the discount the lock holds against the campaign, which its redeem consumes"),
    priceTower: PriceTower.optional().describe("With a cart: the cart priced with the coupon"),
  })
  .meta({ id: "CouponLock" });
export type CouponLockDto = z.infer<typeof CouponLockDto>;

const lockView = (code: string, reservation: Redemption): CouponLockDto => ({
  code,
  status: "LOCKED" as const,
  lockedAt: reservation.reservedAt!.toISOString(),
  lockedUntil: reservation.expiresAt!.toISOString(),
  checkoutId: reservation.checkoutId,
  ...(reservation.priceTower ? { discountAmount: reservation.discountAmount, priceTower: reservation.priceTower } : {}),
});

/**
 * Reserves a coupon for a checkout for the book's lock TTL (public lock ≡ internal reserve,
 * PR_RESERVED). Locking again for the same checkout returns the existing lock unchanged. With a
 * cart, the discount is priced and held against the campaign's budget. A caller that finds the
 * coupon held by a concurrent request with at most one use left answers 409 at once
 * (LockOptions.failFast). Every call that reaches
 * the code writes its promo_attempts row, refused ones too (attemptTransaction).
 */
export async function lockCoupon(db: Db, actor: Actor, code: string, input: CouponActionInput, meta: RequestMeta): Promise<CouponLockDto> {
  const userId = actingUserId(actor, input.userId);
  const call = await couponAttemptCall(db, actor, code, userId, input, meta);
  const outcome = await attemptTransaction(db, call, async (tx, trace, accept) => {
    const target = await findCouponTarget(tx, actor, { code, userId, businessId: input.businessId, attributeAmong: call.businessIds }, meta, trace, { failFast: true });
    const { assignment, ownLiveLock } = await usableAssignment(tx, actor, meta, target, input.checkoutId);
    if (ownLiveLock) {
      const [[reservation]] = await Promise.all([
        renderedOnce(tx, "lockCoupon:reservation", { assignmentId: assignment.id, checkoutId: assignment.lockCheckoutId! }, (v) =>
          tx
            .select()
            .from(redemptions)
            .where(and(eq(redemptions.assignmentId, v.assignmentId), eq(redemptions.checkoutId, v.checkoutId))),
        ),
        accept(target.book, "SAME_CHECKOUT"),
      ]);
      return { value: lockView(target.code.code, reservation!), book: target.book, reason: "SAME_CHECKOUT" };
    }
    const checkoutId = input.checkoutId ?? randomUUID();
    const { reservation } = await reserveAssignment(tx, actor, meta, { ...target, assignment }, { checkoutId, cart: input.cart, alongside: () => accept(target.book, "LOCKED") });
    return { value: lockView(target.code.code, reservation), book: target.book, reason: "LOCKED" };
  });
  return acceptedOrThrow(outcome);
}
