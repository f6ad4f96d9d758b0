import { sql } from "drizzle-orm";
import type { HourlyRollup } from "@/lib/jobs/hourly-rollup";
import { auditActorLabel } from "./audit";

/**
 * The hourly audit rollup, redemption_audit_hourly (lib/jobs/hourly-rollup.ts), filled by the
 * `audit-rollup` job: audit rows per business, closed hour, action and whether the brute-force
 * guard wrote them, which is what the metrics scrape counts (ledger transitions, guard pauses).
 */
export const AUDIT_ROLLUP: HourlyRollup = {
  job: "audit-rollup",
  log: sql`redemption_audit`,
  at: sql`at`,
  table: sql`redemption_audit_hourly`,
  keys: [
    { column: sql`business_id`, value: sql`business_id` },
    { column: sql`action`, value: sql`action` },
    { column: sql`by_guard`, value: sql`actor = ${auditActorLabel({ kind: "system", name: "guard" })}` },
  ],
  count: sql`entries`,
};
