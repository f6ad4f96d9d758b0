import { randomUUID } from "node:crypto";
import { and, eq, inArray, or, sql } from "drizzle-orm";
import type { Db, Tx } from "@/db/client";
import { couponAssignments, redemptions } from "@/db/schema";
import type { Actor } from "@/lib/auth/actor";
import { AppError } from "@/lib/http/errors";
import type { RequestMeta } from "@/lib/http/request-meta";
import { actingUserId } from "./acting-user";
import { isLockLive } from "./assignment-dto";
import { writeAudit } from "./audit";
import { assertBookUsable } from "./book-usability";
import { assertCampaignHasRoom } from "./caps";
import { expireStaleLock, findCouponTarget, type CouponTarget } from "./coupon-target";
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
}

type Redemption = typeof redemptions.$inferSelect;

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
 * can never consume more uses than max_redeems_per_user (DESIGN §5.1–2).
 */
export async function redeemCoupon(db: Db, actor: Actor, code: string, input: CouponActionInput, meta: RequestMeta) {
  const userId = actingUserId(actor, input.userId);
  return db.transaction(async (tx): Promise<RedeemResult> => {
    const target = await findCouponTarget(tx, actor, { code, userId, businessId: input.businessId }, meta);
    const { book } = target;
    const replay = await previousConsumption(tx, target, input);
    if (replay) return resultOf(target.code.code, replay);

    assertBookUsable(book, target.now);
    if (target.code.status === "DISABLED") throw new AppError("COUPON_DISABLED", "This coupon is disabled");
    const live = isLockLive(target.assignment, target.now);
    if (live && input.checkoutId !== undefined && input.checkoutId !== target.assignment.lockCheckoutId) {
      throw new AppError("COUPON_LOCKED", "This coupon is locked by another checkout", {
        lockedUntil: target.assignment.lockedUntil!.toISOString(),
      });
    }
    const assignment = live ? target.assignment : await expireStaleLock(tx, actor, meta, target);
    if (assignment.redeemCount >= book.maxRedeemsPerUser) {
      throw new AppError("COUPON_ALREADY_REDEEMED", "This coupon has reached its maximum redemption limit", { status: "REDEEMED" });
    }
    // A live lock already holds its share of the campaign cap; a direct redeem must find room.
    if (!live) await assertCampaignHasRoom(tx, book);

    const redeemNumber = assignment.redeemCount + 1;
    const isFinalRedeem = redeemNumber >= book.maxRedeemsPerUser;
    const consumption = {
      status: "PR_APPLIED" as const,
      orderId: input.orderId ?? null,
      appliedAt: sql`now()`,
      redeemNumber,
      maxRedeems: book.maxRedeemsPerUser,
      reason: null,
    };
    const checkoutId = live ? assignment.lockCheckoutId! : (input.checkoutId ?? `direct:${randomUUID()}`);
    const [applied] = await tx
      .insert(redemptions)
      .values({
        businessId: book.businessId,
        assignmentId: assignment.id,
        bookId: book.id,
        userId,
        checkoutId,
        currency: book.currency,
        reservedAt: sql`now()`,
        ...consumption,
      })
      .onConflictDoUpdate({ target: [redemptions.assignmentId, redemptions.checkoutId], set: consumption })
      .returning();

    const [updated] = await tx
      .update(couponAssignments)
      .set({
        status: isFinalRedeem ? "REDEEMED" : "ASSIGNED",
        redeemCount: redeemNumber,
        lockedAt: null,
        lockedUntil: null,
        lockCheckoutId: null,
        redeemedAt: isFinalRedeem ? sql`now()` : assignment.redeemedAt,
      })
      // The row is locked; the count guard makes a lost update impossible even if that ever changed.
      .where(and(eq(couponAssignments.id, assignment.id), eq(couponAssignments.redeemCount, assignment.redeemCount)))
      .returning({ id: couponAssignments.id });
    if (!updated) throw new AppError("CONFLICT", "The coupon changed during the redemption; retry");

    await writeAudit(tx, actor, meta, {
      businessId: book.businessId,
      bookId: book.id,
      codeId: assignment.codeId,
      assignmentId: assignment.id,
      userId,
      action: "REDEEM",
      previousStatus: live ? "LOCKED" : "ASSIGNED",
      newStatus: isFinalRedeem ? "REDEEMED" : "ASSIGNED",
      redeemCount: redeemNumber,
      maxRedeems: book.maxRedeemsPerUser,
      isFinalRedeem,
      checkoutId,
      orderId: input.orderId ?? null,
    });
    return resultOf(target.code.code, applied!);
  });
}
