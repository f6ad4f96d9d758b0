import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { alertChannel, PROMO_RESULTS, redemptionStatus } from "@/db/schema";
import { auditActorLabel } from "@/lib/coupons/audit";
import { AUDIT_ROLLUP } from "@/lib/coupons/audit-rollup";
import { rolledThroughSql } from "@/lib/jobs/hourly-rollup";
import { ATTEMPT_ROLLUP } from "@/lib/promo/attempt-rollup";

export const REDEMPTION_STATUSES = redemptionStatus.enumValues;
export const ALERT_CHANNELS = alertChannel.enumValues;
/** Delivery outcomes that never change again: a counter may only count those (PENDING is a gauge). */
export const FINAL_DELIVERY_STATUSES = ["DELIVERED", "FAILED"] as const;

/**
 * The audit action that records each ledger transition (DESIGN §4, §5.6: written in the same
 * transaction). Ledger rows change status and are even reused (the same checkout re-reserving after
 * a release or an expiry), so counting rows by status would make a counter go down; the audit trail
 * is append-only, so its counts only grow.
 */
const LEDGER_TRANSITION_ACTIONS = {
  PR_RESERVED: "LOCK",
  PR_APPLIED: "REDEEM",
  PR_RELEASED: "UNLOCK",
  PR_EXPIRED: "EXPIRE",
  PR_REVOKED: "REVOKE",
} as const satisfies Record<(typeof REDEMPTION_STATUSES)[number], string>;

const GUARD_ACTOR = auditActorLabel({ kind: "system", name: "guard" });

const LOCK_TIMEOUT_MS = 1_000;

export interface DomainFigures {
  attemptsByResult: Record<(typeof PROMO_RESULTS)[number], number>;
  /** Ledger transitions into each status, from the audit trail. */
  redemptionsByStatus: Record<(typeof REDEMPTION_STATUSES)[number], number>;
  guardAutopauses: number;
  /** `${channel} ${status}` → delivery rows in that final status. */
  deliveriesFinal: Map<string, number>;
  deliveriesPendingByChannel: Map<string, number>;
  /** Paid orders whose reservation had expired before the apply (payments_recovery_review_required alerts). */
  applyFailures: number;
  /** PR_RESERVED rows past expires_at: the expiry job is behind or not running. */
  reservationLeaks: number;
}

type Row = { family: string; k1: string | null; k2: string | null; n: string };

const zeros = <K extends string>(keys: readonly K[]) => Object.fromEntries(keys.map((key) => [key, 0])) as Record<K, number>;

/**
 * Every domain figure of /api/metrics in one read-only statement (jobs and other instances write
 * these tables, so the database is the only place that knows them). Each part is one aggregate:
 * attempts by result and the transition actions of redemption_audit (each from its hourly rollup
 * up to the rollup's cursor plus the raw rows from there, so a scrape counts the hour or two since
 * the last rollup instead of the whole log; lib/jobs/hourly-rollup.ts), the alert outbox, and the
 * leak count through the partial index redemptions_reserved_expiry_idx.
 */
export async function readDomainFigures(db: Db, statementTimeoutMs: number): Promise<DomainFigures> {
  const actions = [...Object.values(LEDGER_TRANSITION_ACTIONS), "PAUSE"];
  const rows = await db.transaction(
    async (tx) => {
      // A slow scrape gives up instead of piling up behind the next ones, and never queues behind a
      // migration's table lock (nor makes the checkouts behind it wait).
      await tx.execute(sql`select set_config('statement_timeout', ${String(statementTimeoutMs)}, true), set_config('lock_timeout', ${String(LOCK_TIMEOUT_MS)}, true)`);
      return tx.execute<Row>(sql`
        with attempts_rolled as (select ${rolledThroughSql(ATTEMPT_ROLLUP.job)} as through),
        audit_rolled as (select ${rolledThroughSql(AUDIT_ROLLUP.job)} as through)
        select 'attempts' as family, result::text as k1, null as k2, sum(n)::text as n
          from (
            select h.result, sum(h.attempts) as n from promo_attempt_hourly h, attempts_rolled r where h.hour < r.through group by h.result
            union all
            select a.result, count(*) from promo_attempts a, attempts_rolled r where a.attempted_at >= r.through group by a.result
          ) attempts
          group by result
        union all
        select 'audit', action, by_guard::text, sum(n)::text
          from (
            select h.action, h.by_guard, sum(h.entries) as n from redemption_audit_hourly h, audit_rolled r
            where h.hour < r.through and h.action in ${actions} group by 1, 2
            union all
            select a.action, a.actor = ${GUARD_ACTOR}, count(*) from redemption_audit a, audit_rolled r
            where a.at >= r.through and a.action in ${actions} group by 1, 2
          ) audit
          group by action, by_guard
        union all
        select 'deliveries', channel::text, status::text, count(*)::text
          from ops_alert_deliveries group by channel, status
        union all
        select 'recovery_reviews', null, null, count(*)::text
          from ops_alerts where event_type = 'payments_recovery_review_required'
        union all
        select 'leaks', null, null, count(*)::text
          from redemptions where status = 'PR_RESERVED' and expires_at < now()`);
    },
    { accessMode: "read only" },
  );

  const figures: DomainFigures = {
    attemptsByResult: zeros(PROMO_RESULTS),
    redemptionsByStatus: zeros(REDEMPTION_STATUSES),
    guardAutopauses: 0,
    deliveriesFinal: new Map(),
    deliveriesPendingByChannel: new Map(),
    applyFailures: 0,
    reservationLeaks: 0,
  };
  const statusOfAction = new Map(Object.entries(LEDGER_TRANSITION_ACTIONS).map(([status, action]) => [action as string, status]));
  for (const row of rows) {
    const n = Number(row.n);
    switch (row.family) {
      case "attempts":
        figures.attemptsByResult[row.k1 as keyof DomainFigures["attemptsByResult"]] = n;
        break;
      case "audit": {
        if (row.k1 === "PAUSE") {
          if (row.k2 === "true") figures.guardAutopauses += n;
          break;
        }
        const status = statusOfAction.get(row.k1 ?? "") as keyof DomainFigures["redemptionsByStatus"] | undefined;
        if (status) figures.redemptionsByStatus[status] += n;
        break;
      }
      case "deliveries":
        if (row.k2 === "PENDING") figures.deliveriesPendingByChannel.set(row.k1!, n);
        else figures.deliveriesFinal.set(`${row.k1} ${row.k2}`, n);
        break;
      case "recovery_reviews":
        figures.applyFailures = n;
        break;
      case "leaks":
        figures.reservationLeaks = n;
        break;
    }
  }
  return figures;
}
