import { createHash } from "node:crypto";
import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { deliverDueAlerts } from "@/lib/alerts/deliver";
import { raiseAlert } from "@/lib/alerts/raise";
import type { Job } from "@/lib/jobs/job";
import { readJobCursor, saveJobCursor } from "@/lib/jobs/job-cursor";
import { jobBatches } from "@/lib/jobs/job-meta";

type AssignmentDiff = { assignment_id: string; business_id: string; book_id: string; redeem_count: number; applied_rows: number };
type PurchaseDiff = { purchase_id: string; business_id: string; order_id: string; discount_amount: number; applied_discount: number; applied_rows: number };
type Slice<D> = { scanned: number; last_id: string | null; diffs: D[] };

const JOB = "reconciliation";

/**
 * One slice of assignments in id order after `after`: those whose redeem_count is not their number
 * of PR_APPLIED ledger rows (counted through the (assignment_id, checkout_id) unique index).
 */
async function assignmentSlice(db: Db, after: string | null, limit: number) {
  const [slice] = await db.execute<Slice<AssignmentDiff>>(sql`
    with slice as (
      select id, business_id, book_id, redeem_count from coupon_assignments
      where ${after}::uuid is null or id > ${after}::uuid
      order by id limit ${limit}
    ), counted as (
      select s.id as assignment_id, s.business_id, s.book_id, s.redeem_count,
             (select count(*) from redemptions r where r.assignment_id = s.id and r.status = 'PR_APPLIED')::int as applied_rows
      from slice s
    )
    select (select count(*) from slice)::int as scanned,
           (select id::text from slice order by id desc limit 1) as last_id,
           coalesce((select json_agg(c order by c.assignment_id) from counted c where c.redeem_count <> c.applied_rows), '[]') as diffs`);
  return slice!;
}

/**
 * One slice of PAID purchases: those whose discount is not the sum of their order's applied redemptions of that seller.
 * The sum stays bigint (an int cast overflows past 2^31 − 1); it leaves through json_agg, so it arrives as a number.
 */
async function purchaseSlice(db: Db, after: string | null, limit: number) {
  const [slice] = await db.execute<Slice<PurchaseDiff>>(sql`
    with slice as (
      select id, business_id, order_id, discount_amount from purchases
      where status = 'PAID' and (${after}::uuid is null or id > ${after}::uuid)
      order by id limit ${limit}
    ), counted as (
      select s.id as purchase_id, s.business_id, s.order_id, s.discount_amount, a.applied_discount, a.applied_rows
      from slice s
      cross join lateral (
        select coalesce(sum(r.discount_amount), 0)::bigint as applied_discount, count(*)::int as applied_rows
        from redemptions r where r.business_id = s.business_id and r.order_id = s.order_id and r.status = 'PR_APPLIED'
      ) a
    )
    select (select count(*) from slice)::int as scanned,
           (select id::text from slice order by id desc limit 1) as last_id,
           coalesce((select json_agg(c order by c.purchase_id) from counted c where c.discount_amount <> c.applied_discount), '[]') as diffs`);
  return slice!;
}

/** Walks a table in slices from `after`, at most `maxBatches` of them; null as the next cursor means it reached the end. */
async function walk<D>(maxBatches: number, batchSize: number, after: string | null, slice: (after: string | null, limit: number) => Promise<Slice<D>>) {
  const diffs: D[] = [];
  let checked = 0;
  let cursor = after;
  for (let batch = 0; batch < maxBatches; batch++) {
    const result = await slice(cursor, batchSize);
    checked += result.scanned;
    diffs.push(...result.diffs);
    if (result.scanned < batchSize) return { diffs, checked, next: null };
    cursor = result.last_id;
  }
  return { diffs, checked, next: cursor };
}

/**
 * The checks of DESIGN §8, read-only and bounded: each run looks at up to JOB_BATCH_SIZE ×
 * JOB_MAX_BATCHES assignments and as many PAID purchases, going on where the previous run stopped
 * (job_cursors) and starting over at the end, so a large ledger is covered over several runs.
 */
async function findReconciliationDiffs(db: Db) {
  const { batchSize, maxBatches } = jobBatches();
  const cursor = await readJobCursor(db, JOB);
  const assignments = await walk(maxBatches, batchSize, cursor.assignment ?? null, (after, limit) => assignmentSlice(db, after, limit));
  const purchases = await walk(maxBatches, batchSize, cursor.purchase ?? null, (after, limit) => purchaseSlice(db, after, limit));
  await saveJobCursor(db, JOB, { assignment: assignments.next, purchase: purchases.next });
  return {
    assignments: assignments.diffs,
    purchases: purchases.diffs,
    assignmentsChecked: assignments.checked,
    purchasesChecked: purchases.checked,
    truncatedAt: batchSize * maxBatches,
  };
}

/**
 * `reconciliation`: raises one `payments_reconciliation_diff_detected` for the differences found,
 * keyed by what they are, so the same unrepaired differences are not raised again on every run
 * while a new one raises a new alert.
 */
export async function runReconciliation(db: Db) {
  const found = await findReconciliationDiffs(db);
  const checked = { assignmentsChecked: found.assignmentsChecked, purchasesChecked: found.purchasesChecked };
  const diffs = { assignments: found.assignments, purchases: found.purchases };
  const count = diffs.assignments.length + diffs.purchases.length;
  if (count === 0) return { ...checked, assignmentDiffs: 0, purchaseDiffs: 0, alertsRaised: 0, alertsDelivered: 0 };

  const fingerprint = createHash("sha256").update(JSON.stringify(diffs)).digest("hex").slice(0, 32);
  const alertId = await raiseAlert(db, {
    event: "payments_reconciliation_diff_detected",
    dedupeKey: `payments_reconciliation_diff_detected:${fingerprint}`,
    summary: `Reconciliation found ${diffs.assignments.length} coupon use count(s) and ${diffs.purchases.length} purchase discount(s) that disagree with the ledger`,
    details: {
      assignments: diffs.assignments.map((d) => ({ assignmentId: d.assignment_id, businessId: d.business_id, bookId: d.book_id, redeemCount: d.redeem_count, appliedRows: d.applied_rows })),
      purchases: diffs.purchases.map((d) => ({ purchaseId: d.purchase_id, businessId: d.business_id, orderId: d.order_id, discountAmount: d.discount_amount, appliedDiscount: d.applied_discount, appliedRows: d.applied_rows })),
      ...checked,
      runbook: "docs/runbooks/seller-coupons.md",
    },
  });
  const delivery = alertId ? await deliverDueAlerts(db, { alertIds: [alertId] }) : null;
  return {
    ...checked,
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
