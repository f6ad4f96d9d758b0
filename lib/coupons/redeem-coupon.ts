import { and, eq, inArray, or } from "drizzle-orm";
import type { Db, Tx } from "@/db/client";
import { redemptions } from "@/db/schema";
import type { Actor } from "@/lib/auth/actor";
import { AppError } from "@/lib/errors";
import type { RequestMeta } from "@/lib/request-meta";
import { acceptedOrThrow, attemptTransaction } from "@/lib/promo/attempt-transaction";
import { actingUserId } from "./acting-user";
import { couponAttemptCall } from "./coupon-attempt";
import { findCouponTarget, type CouponTarget } from "./coupon-target";
import { usableAssignment } from "./coupon-usability";
import { consumeAssignment, type Redemption } from "./reservations";
import type { CouponActionInput } from "./schemas";

export interface RedeemResult {
  code: string;
  status: "ASSIGNED" | "REDEEMED";
  redeemCount: number;
  maxRedeems: number;
  isFinalRedeem: boolean;
  redeemedAt: string | null;
  orderId: string | null;
  checkoutId: string;
  /** What this use took off its order (0 when it was redeemed without a cart). */
  discountAmount: number;
}

function resultOf(code: string, row: Redemption): RedeemResult {
  const isFinalRedeem = row.redeemNumber! >= row.maxRedeems!;
  return {
    code,
    status: isFinalRedeem ? "REDEEMED" : "ASSIGNED",
    redeemCount: row.redeemNumber!,
    maxRedeems: row.maxRedeems!,
    isFinalRedeem,
    redeemedAt: isFinalRedeem ? row.appliedAt!.toISOString() : null,
    orderId: row.orderId,
    checkoutId: row.checkoutId,
    discountAmount: row.discountAmount,
  };
}

/**
 * A consumption already recorded for this orderId (or this checkoutId): a retry gets the first
 * result back and consumes nothing (DESIGN §5.5). The same checkout with another order is a 409.
 */
async function previousConsumption(tx: Tx, target: CouponTarget, input: CouponActionInput) {
  const keys = [
    input.orderId ? eq(redemptions.orderId, input.orderId) : undefined,
    input.checkoutId ? eq(redemptions.checkoutId, input.checkoutId) : undefined,
  ].filter(Boolean);
  if (keys.length === 0) return null;
  const rows = await tx
    .select()
    .from(redemptions)
    .where(
      and(
        eq(redemptions.assignmentId, target.assignment.id),
        inArray(redemptions.status, ["PR_APPLIED", "PR_REVOKED"]),
        or(...keys),
      ),
    );
  const sameOrder = rows.find((r) => input.orderId && r.orderId === input.orderId);
  if (sameOrder) return sameOrder;
  const sameCheckout = rows.find((r) => input.checkoutId && r.checkoutId === input.checkoutId);
  if (!sameCheckout) return null;
  if (input.orderId && sameCheckout.orderId !== null) {
    throw new AppError("CHECKOUT_ALREADY_REDEEMED", "This checkout already redeemed this coupon for another order", {
      checkoutId: input.checkoutId,
    });
  }
  return sameCheckout;
}

/**
 * Consumes one use (seed 003 multi-redeem): from a live lock (consuming its reservation, which
 * only the lock's checkout may do) or straight from ASSIGNED. The final use leaves the assignment
 * REDEEMED, earlier ones ASSIGNED. Serialized by the assignment's row lock, so parallel redeems
 * can never consume more uses than max_redeems_per_user (DESIGN §5.1–2); a caller that finds the
 * row held with at most one use left answers 409 at once instead of queueing (LockOptions.failFast).
 * Every call that reaches
 * the code writes its promo_attempts row, refused ones too (attemptTransaction).
 */
export async function redeemCoupon(db: Db, actor: Actor, code: string, input: CouponActionInput, meta: RequestMeta) {
  const userId = actingUserId(actor, input.userId);
  const call = await couponAttemptCall(db, actor, code, userId, input, meta);
  const outcome = await attemptTransaction(db, call, async (tx, trace) => {
    const target = await findCouponTarget(tx, actor, { code, userId, businessId: input.businessId, attributeAmong: call.businessIds }, meta, trace, { failFast: true });
    const replay = await previousConsumption(tx, target, input);
    if (replay) return { value: resultOf(target.code.code, replay), book: target.book, reason: "SAME_ORDER" };

    // A live lock of this checkout (or of any, when the call names none) is consumed.
    const { assignment } = await usableAssignment(tx, actor, meta, target, input.checkoutId);
    const applied = await consumeAssignment(tx, actor, meta, { ...target, assignment }, input);
    return { value: resultOf(target.code.code, applied), book: target.book, reason: "REDEEMED" };
  });
  return acceptedOrThrow(outcome);
}
