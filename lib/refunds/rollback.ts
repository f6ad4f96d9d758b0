import { and, asc, eq, or, sql } from "drizzle-orm";
import type { Db, Tx } from "@/db/client";
import { couponAssignments, purchases, redemptions } from "@/db/schema";
import type { Actor } from "@/lib/auth/actor";
import { assignmentAudit, writeAudit, type AuditActor } from "@/lib/coupons/audit";
import { assignmentById, lockedAssignment } from "@/lib/coupons/coupon-target";
import { countAppliedUse } from "@/lib/coupons/usage";
import { AppError } from "@/lib/errors";
import type { RequestMeta } from "@/lib/request-meta";
import { logger } from "@/lib/log";
import { refundedPurchaseView, revokedRedemptionView, type Purchase, type RefundRollbackResult } from "./refund-views";
import type { RefundRollbackInput } from "./schemas";

type Redemption = typeof redemptions.$inferSelect;

/** The ledger rows a purchase consumed: the seller's uses of that order (DESIGN §3). */
const usesOf = (purchase: Pick<Purchase, "businessId" | "orderId">) =>
  and(eq(redemptions.businessId, purchase.businessId), eq(redemptions.orderId, purchase.orderId));

/**
 * Gives back one applied use (DESIGN §4): the ledger row PR_APPLIED → PR_REVOKED, the assignment's
 * redeem_count − 1 (REDEEMED → ASSIGNED), the capped book's counters, and a REVOKE audit row. The
 * assignment is row-locked first, like every other change of its uses; the status condition on the
 * ledger row makes a use that someone revoked meanwhile a no-op. Null when there was nothing to revoke.
 */
async function revokeUse(tx: Tx, actor: AuditActor, meta: RequestMeta, use: Pick<Redemption, "id" | "assignmentId">, purchase: Purchase, reason: string) {
  const target = await lockedAssignment(tx, assignmentById(use.assignmentId));
  if (!target) return null;
  const [revoked] = await tx
    .update(redemptions)
    .set({ status: "PR_REVOKED", revokedAt: sql`now()`, reason })
    .where(and(eq(redemptions.id, use.id), eq(redemptions.status, "PR_APPLIED")))
    .returning();
  if (!revoked) return null;

  const { assignment, book } = target;
  if (assignment.redeemCount === 0) {
    // The counter already disagreed with the ledger; the revoke still goes through, the reconciliation job reports the rest.
    logger.warn({ assignmentId: assignment.id, redemptionId: revoked.id }, "refund rollback: assignment had no use to give back");
  }
  const givenBack = assignment.status === "REDEEMED";
  const [updated] = await tx
    .update(couponAssignments)
    .set({
      redeemCount: sql`greatest(${couponAssignments.redeemCount} - 1, 0)`,
      ...(givenBack ? { status: "ASSIGNED" as const, redeemedAt: null } : {}),
    })
    .where(eq(couponAssignments.id, assignment.id))
    .returning();
  await countAppliedUse(tx, book.id, { uses: -1, discount: revoked.discountAmount });
  await writeAudit(tx, actor, meta, {
    ...assignmentAudit(target),
    action: "REVOKE",
    previousStatus: assignment.status,
    newStatus: updated!.status,
    redeemCount: updated!.redeemCount,
    checkoutId: revoked.checkoutId,
    orderId: revoked.orderId,
    details: { redemptionId: revoked.id, purchaseId: purchase.id, discountAmount: revoked.discountAmount, reason },
  });
  return revoked;
}

/** PAID → REFUNDED with when and why, audited; a purchase already REFUNDED keeps its first reason. */
export async function markPurchaseRefunded(tx: Tx, actor: AuditActor, meta: RequestMeta, purchase: Purchase, reason: string) {
  if (purchase.status !== "PAID") return purchase;
  const [refunded] = await tx
    .update(purchases)
    .set({ status: "REFUNDED", refundedAt: sql`now()`, refundReason: reason, updatedAt: sql`now()` })
    .where(and(eq(purchases.id, purchase.id), eq(purchases.status, "PAID")))
    .returning();
  if (!refunded) return purchase;
  await writeAudit(tx, actor, meta, {
    businessId: refunded.businessId,
    userId: refunded.userId,
    action: "REFUND",
    previousStatus: "PAID",
    newStatus: "REFUNDED",
    checkoutId: refunded.checkoutId,
    orderId: refunded.orderId,
    details: { purchaseId: refunded.id, discountAmount: refunded.discountAmount, reason },
  });
  return refunded;
}

const refundable = (purchase: Purchase) => purchase.status === "PAID" || purchase.status === "REFUNDED";

/**
 * The core of a refund rollback, shared by the endpoint and the periodic job: in the caller's
 * transaction, lock the purchase row (so two rollbacks of one purchase run one after the other,
 * the second finding nothing left to do), revoke every use its order consumed for that seller,
 * and mark it REFUNDED. Idempotent. Null for an unknown purchase; 409 for one never paid.
 */
export async function rollbackPurchase(tx: Tx, actor: AuditActor, meta: RequestMeta, purchaseId: string, reason: string) {
  const [purchase] = await tx.select().from(purchases).where(eq(purchases.id, purchaseId)).for("update");
  if (!purchase) return null;
  if (!refundable(purchase)) {
    throw new AppError("INVALID_STATUS_TRANSITION", `A ${purchase.status} purchase has no paid coupon use to roll back`, {
      purchaseId: purchase.id,
      status: purchase.status,
    });
  }
  // Assignment order, the order every other multi-coupon path locks them in, so two rollbacks never deadlock.
  const uses = await tx
    .select({ id: redemptions.id, assignmentId: redemptions.assignmentId })
    .from(redemptions)
    .where(and(usesOf(purchase), eq(redemptions.status, "PR_APPLIED")))
    .orderBy(asc(redemptions.assignmentId), asc(redemptions.id));
  const revoked: Redemption[] = [];
  for (const use of uses) {
    const row = await revokeUse(tx, actor, meta, use, purchase, reason);
    if (row) revoked.push(row);
  }
  const current = await markPurchaseRefunded(tx, actor, meta, purchase, reason);
  return { purchase: current, revoked };
}

async function purchasesToRollBack(tx: Tx, input: RefundRollbackInput) {
  const where = input.purchaseId
    ? eq(purchases.id, input.purchaseId)
    : and(eq(purchases.orderId, input.orderId!), input.businessId ? eq(purchases.businessId, input.businessId) : undefined);
  return tx.select({ id: purchases.id }).from(purchases).where(where).orderBy(asc(purchases.id));
}

/**
 * POST /api/internal/promo/refund-rollback: a refund's coupon uses given back at once, all of the
 * order's (or one purchase's) in one transaction. A second call changes nothing and answers the
 * same, with `revoked: 0`; `redemptions` always lists every use of these purchases now revoked.
 */
export async function refundRollback(db: Db, actor: Actor, input: RefundRollbackInput, meta: RequestMeta) {
  return db.transaction(async (tx): Promise<RefundRollbackResult> => {
    const found = await purchasesToRollBack(tx, input);
    const outcomes = [];
    for (const { id } of found) {
      const outcome = await rollbackPurchase(tx, actor, meta, id, input.reason);
      if (outcome) outcomes.push(outcome);
    }
    if (outcomes.length === 0) {
      throw new AppError("PURCHASE_NOT_FOUND", "No purchase matches this refund", {
        ...(input.purchaseId ? { purchaseId: input.purchaseId } : { orderId: input.orderId }),
      });
    }
    const all = await tx
      .select()
      .from(redemptions)
      .where(and(eq(redemptions.status, "PR_REVOKED"), or(...outcomes.map(({ purchase }) => usesOf(purchase)))))
      .orderBy(asc(redemptions.businessId), asc(redemptions.id));
    const revoked = outcomes.reduce((sum, outcome) => sum + outcome.revoked.length, 0);
    if (revoked > 0) logger.info({ purchases: outcomes.length, revoked }, "refund rolled back");
    return {
      revoked,
      purchases: outcomes.map(({ purchase }) => refundedPurchaseView(purchase)),
      redemptions: all.map(revokedRedemptionView),
    };
  });
}
