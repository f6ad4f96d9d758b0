import { createHash } from "node:crypto";
import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { deliverDueAlerts } from "@/lib/alerts/deliver";
import { raiseAlert } from "@/lib/alerts/raise";
import type { Job } from "@/lib/jobs/job";
import { jobBatches } from "./job-meta";

type AssignmentDiff = { assignment_id: string; business_id: string; book_id: string; redeem_count: number; applied_rows: number };
type PurchaseDiff = { purchase_id: string; business_id: string; order_id: string; discount_amount: number; applied_discount: number; applied_rows: number };

/**
 * The checks of DESIGN §8, read-only: an assignment whose redeem_count is not its number of
 * PR_APPLIED ledger rows, and a PAID purchase whose discount is not the sum of its order's applied
 * redemptions (of that seller). Each is a set-based scan that returns at most `limit` differences.
 */
export async function findReconciliationDiffs(db: Db, limit: number) {
  const assignments = await db.execute<AssignmentDiff>(sql`
    select a.id as assignment_id, a.business_id, a.book_id, a.redeem_count,
           count(r.id) filter (where r.status = 'PR_APPLIED')::int as applied_rows
    from coupon_assignments a
    left join redemptions r on r.assignment_id = a.id
    group by a.id
    having a.redeem_count <> count(r.id) filter (where r.status = 'PR_APPLIED')
    order by a.id
    limit ${limit}`);
  const purchases = await db.execute<PurchaseDiff>(sql`
    select p.id as purchase_id, p.business_id, p.order_id, p.discount_amount,
           coalesce(sum(r.discount_amount) filter (where r.status = 'PR_APPLIED'), 0)::int as applied_discount,
           count(r.id) filter (where r.status = 'PR_APPLIED')::int as applied_rows
    from purchases p
    left join redemptions r on r.business_id = p.business_id and r.order_id = p.order_id
    where p.status = 'PAID'
    group by p.id
    having p.discount_amount <> coalesce(sum(r.discount_amount) filter (where r.status = 'PR_APPLIED'), 0)
    order by p.id
    limit ${limit}`);
  return { assignments: [...assignments], purchases: [...purchases] };
}

/**
 * `reconciliation`: raises one `payments_reconciliation_diff_detected` for the differences found,
 * keyed by what they are, so the same unrepaired differences are not raised again on every run
 * while a new one raises a new alert.
 */
export async function runReconciliation(db: Db) {
  const { batchSize } = jobBatches();
  const diffs = await findReconciliationDiffs(db, batchSize);
  const count = diffs.assignments.length + diffs.purchases.length;
  if (count === 0) return { assignmentDiffs: 0, purchaseDiffs: 0, alertsRaised: 0, alertsDelivered: 0 };

  const fingerprint = createHash("sha256").update(JSON.stringify(diffs)).digest("hex").slice(0, 32);
  const alertId = await raiseAlert(db, {
    event: "payments_reconciliation_diff_detected",
    dedupeKey: `payments_reconciliation_diff_detected:${fingerprint}`,
    summary: `Reconciliation found ${diffs.assignments.length} coupon use count(s) and ${diffs.purchases.length} purchase discount(s) that disagree with the ledger`,
    details: {
      assignments: diffs.assignments.map((d) => ({ assignmentId: d.assignment_id, businessId: d.business_id, bookId: d.book_id, redeemCount: d.redeem_count, appliedRows: d.applied_rows })),
      purchases: diffs.purchases.map((d) => ({ purchaseId: d.purchase_id, businessId: d.business_id, orderId: d.order_id, discountAmount: d.discount_amount, appliedDiscount: d.applied_discount, appliedRows: d.applied_rows })),
      truncatedAt: batchSize,
      runbook: "docs/runbooks/seller-coupons.md",
    },
  });
  const delivery = alertId ? await deliverDueAlerts(db, { alertIds: [alertId] }) : null;
  return {
    assignmentDiffs: diffs.assignments.length,
    purchaseDiffs: diffs.purchases.length,
    alertsRaised: alertId ? 1 : 0,
    alertsDelivered: delivery?.delivered ?? 0,
  };
}

export const reconciliationJob: Job = {
  name: "reconciliation",
  description: "checks redeem counts and purchase discounts against the ledger; raises payments_reconciliation_diff_detected",
  run: runReconciliation,
};
