import { AUDIT_ROLLUP } from "@/lib/coupons/audit-rollup";
import type { Job } from "@/lib/jobs/job";
import { rollUpHours } from "@/lib/jobs/hourly-rollup";
import { ATTEMPT_ROLLUP } from "@/lib/promo/attempt-rollup";

/** Attempts counted per business, closed hour, result and reason, for the ops dashboard and the metrics scrape. */
export const attemptRollupJob: Job = {
  name: ATTEMPT_ROLLUP.job,
  description: "promo_attempts counted per business, closed hour, result and reason (promo_attempt_hourly) for the dashboard and the metrics scrape",
  run: async (db) => {
    const { hours, rows, rolledThrough, moreLeft } = await rollUpHours(db, ATTEMPT_ROLLUP);
    return { hours, attempts: rows, rolledThrough, moreLeft };
  },
};

/** Audit rows counted per business, closed hour, action and guard, for the metrics scrape's ledger and guard counters. */
export const auditRollupJob: Job = {
  name: AUDIT_ROLLUP.job,
  description: "redemption_audit counted per business, closed hour, action and guard (redemption_audit_hourly) for the metrics scrape",
  run: async (db) => {
    const { hours, rows, rolledThrough, moreLeft } = await rollUpHours(db, AUDIT_ROLLUP);
    return { hours, auditRows: rows, rolledThrough, moreLeft };
  },
};
