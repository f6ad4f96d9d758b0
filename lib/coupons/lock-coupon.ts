import { randomUUID } from "node:crypto";
import { and, eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { redemptions } from "@/db/schema";
import type { Actor } from "@/lib/auth/actor";
import { AppError } from "@/lib/errors";
import type { RequestMeta } from "@/lib/request-meta";
import { actingUserId } from "./acting-user";
import { isLockLive } from "./assignment-dto";
import { assertBookUsable } from "./book-usability";
import { findCouponTarget } from "./coupon-target";
import { expireStaleLock, reserveAssignment, type Redemption } from "./reservations";
import type { CouponActionInput } from "./schemas";

/** Seed 003's lock answer; a lock priced with a cart also shows its discount and price tower. */
const lockView = (code: string, reservation: Redemption) => ({
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
 * cart, the discount is priced and held against the campaign's budget.
 */
export async function lockCoupon(db: Db, actor: Actor, code: string, input: CouponActionInput, meta: RequestMeta) {
  const userId = actingUserId(actor, input.userId);
  return db.transaction(async (tx) => {
    const target = await findCouponTarget(tx, actor, { code, userId, businessId: input.businessId }, meta);
    if (isLockLive(target.assignment, target.now)) {
      const held = target.assignment;
      if (input.checkoutId !== undefined && input.checkoutId !== held.lockCheckoutId) {
        throw new AppError("COUPON_LOCKED", "This coupon is locked by another checkout", { lockedUntil: held.lockedUntil!.toISOString() });
      }
      const [reservation] = await tx
        .select()
        .from(redemptions)
        .where(and(eq(redemptions.assignmentId, held.id), eq(redemptions.checkoutId, held.lockCheckoutId!)));
      return lockView(target.code.code, reservation!);
    }
    assertBookUsable(target.book, target.now);
    if (target.code.status === "DISABLED") throw new AppError("COUPON_DISABLED", "This coupon is disabled");
    const assignment = await expireStaleLock(tx, actor, meta, target);
    if (assignment.redeemCount >= target.book.maxRedeemsPerUser) {
      throw new AppError("COUPON_ALREADY_REDEEMED", "This coupon has reached its maximum redemption limit", { status: "REDEEMED" });
    }
    const checkoutId = input.checkoutId ?? randomUUID();
    const { reservation } = await reserveAssignment(tx, actor, meta, { ...target, assignment }, { checkoutId, cart: input.cart });
    return lockView(target.code.code, reservation);
  });
}
