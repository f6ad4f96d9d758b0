import { and, asc, eq, gt, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { purchases } from "@/db/schema";
import type { SystemActor } from "@/lib/coupons/audit";
import { inBatches, type Job } from "@/lib/jobs/job";
import { jobBatches, jobMeta } from "@/lib/jobs/job-meta";
import { logger } from "@/lib/log";
import { rollbackPurchase } from "./rollback";

const ACTOR: SystemActor = { kind: "system", name: "refund-rollback" };
const META = jobMeta("refund-rollback");
/** Refunds are rolled back within minutes; a purchase refunded longer ago than this is not looked at again. */
const LOOKBACK = sql`interval '7 days'`;

/** REFUNDED purchases whose order still has applied uses of that seller, after `after` in id order. */
async function refundedWithUses(db: Db, after: string | null, limit: number) {
  return db
    .select({ id: purchases.id, refundReason: purchases.refundReason })
    .from(purchases)
    .where(
      and(
        eq(purchases.status, "REFUNDED"),
        // purchases_status_idx: only recently refunded purchases, not every refund ever made.
        gt(purchases.updatedAt, sql`now() - ${LOOKBACK}`),
        after ? gt(purchases.id, after) : undefined,
        sql`exists (select 1 from redemptions r
          where r.business_id = ${purchases.businessId} and r.order_id = ${purchases.orderId} and r.status = 'PR_APPLIED')`,
      ),
    )
    .orderBy(asc(purchases.id))
    .limit(limit);
}

/**
 * `refund-rollback` (every 5 min): gives back the coupon uses of purchases reported REFUNDED, each
 * purchase in its own transaction through the same core as the endpoint. Walks the purchases in id
 * order within a run, so one that fails (logged, counted) is not picked again until the next run.
 */
async function rollBackRefunds(db: Db) {
  const { batchSize, maxBatches } = jobBatches();
  let after: string | null = null;
  let rolledBack = 0;
  let revoked = 0;
  let failed = 0;
  const { exhausted } = await inBatches(maxBatches, batchSize, async (limit) => {
    const due = await refundedWithUses(db, after, limit);
    for (const purchase of due) {
      after = purchase.id;
      try {
        const outcome = await db.transaction((tx) => rollbackPurchase(tx, ACTOR, META, purchase.id, purchase.refundReason ?? "refund"));
        if (outcome && outcome.revoked.length > 0) {
          rolledBack++;
          revoked += outcome.revoked.length;
        }
      } catch (error) {
        failed++;
        logger.error({ job: "refund-rollback", purchaseId: purchase.id, errorName: (error as Error)?.name }, "refund rollback of a purchase failed");
      }
    }
    return due.length;
  });
  return { purchases: rolledBack, revoked, failed, moreLeft: exhausted };
}

export const refundRollbackJob: Job = {
  name: "refund-rollback",
  description: "REFUNDED purchases with applied coupon uses → uses given back (PR_REVOKED, redeem_count − 1, caps), audited",
  run: rollBackRefunds,
};
