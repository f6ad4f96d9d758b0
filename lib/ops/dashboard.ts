import type { Db } from "@/db/client";
import { PROMO_RESULTS, type PromoResult } from "@/db/schema";
import { candidateHashes, discountGranted, failureReasons, lastWeekAttempts, pausedCampaigns, timeline, windowSpan, type FailureReasonRow } from "./dashboard-queries";
import { CANDIDATE_HASH_RULE, DASHBOARD_WINDOWS, DashboardDto, FAILURE_RESULTS, type DashboardQuery } from "./dashboard-schemas";

const MAX_REASONS_PER_RESULT = 5;

/** part / whole to 4 decimals, half up, computed on the integers; null when there is nothing to divide. */
export function rate(part: number, whole: number): number | null {
  return whole === 0 ? null : Math.round((part * 10_000) / whole) / 10_000;
}

const emptyResultCounts = () => Object.fromEntries(PROMO_RESULTS.map((r) => [r, 0])) as Record<PromoResult, number>;

function topReasons(rows: FailureReasonRow[], result: PromoResult) {
  return rows
    .filter((r) => r.result === result)
    .slice(0, MAX_REASONS_PER_RESULT)
    .map((r) => ({ reason: r.reason, count: r.n }));
}

/**
 * GET /api/internal/promo/dashboard: attempt acceptance, reservation → applied conversion, the
 * failure mix and guard indicators over the window, plus per-bucket series for the charts. The
 * window is read on the database's clock and every query runs in one read-only repeatable-read
 * transaction, so all figures describe the same instant and the totals equal the sums of the buckets.
 */
export async function getDashboard(db: Db, query: DashboardQuery): Promise<DashboardDto> {
  const { bucketMinutes, buckets } = DASHBOARD_WINDOWS[query.window];
  return db.transaction(
    async (tx) => {
      const w = await windowSpan(tx, bucketMinutes, buckets);
      const series = await timeline(tx, w, query.businessId);
      const weekBefore = await lastWeekAttempts(tx, w, query.businessId);
      const discounts = await discountGranted(tx, w, query.businessId);
      const reasons = await failureReasons(tx, w, query.businessId);
      const candidates = await candidateHashes(tx, w, query.businessId);
      const paused = await pausedCampaigns(tx, w, query.businessId);

      const byResult = emptyResultCounts();
      const ledger = { reserved: 0, applied: 0, revoked: 0, released: 0, expired: 0, live: 0 };
      const bucketDtos = series.map((row) => {
        const attempts = { ...emptyResultCounts(), ...row.attempts };
        for (const result of PROMO_RESULTS) byResult[result] += attempts[result];
        for (const key of Object.keys(ledger) as (keyof typeof ledger)[]) ledger[key] += row[key];
        const lastWeek = weekBefore.get(row.start) ?? { total: 0, accepted: 0 };
        return { start: row.start, attempts, reserved: row.reserved, applied: row.applied, released: row.released, expired: row.expired, live: row.live, lastWeek };
      });
      const total = PROMO_RESULTS.reduce((sum, result) => sum + byResult[result], 0);
      const lastWeekTotal = bucketDtos.reduce((sum, b) => sum + b.lastWeek.total, 0);
      const lastWeekAccepted = bucketDtos.reduce((sum, b) => sum + b.lastWeek.accepted, 0);

      return DashboardDto.parse({
        window: query.window,
        businessId: query.businessId ?? null,
        from: w.from,
        to: w.to,
        bucketMinutes,
        attempts: { total, accepted: byResult.ACCEPTED, acceptanceRate: rate(byResult.ACCEPTED, total) },
        lastWeek: {
          from: w.lastWeek.from,
          to: w.lastWeek.to,
          attempts: { total: lastWeekTotal, accepted: lastWeekAccepted, acceptanceRate: rate(lastWeekAccepted, lastWeekTotal) },
        },
        discountGranted: discounts,
        reservations: {
          reserved: ledger.reserved,
          applied: ledger.applied,
          conversionRate: rate(ledger.applied, ledger.reserved),
          revoked: ledger.revoked,
          released: ledger.released,
          expired: ledger.expired,
          live: ledger.live,
        },
        failures: FAILURE_RESULTS.map((result) => ({
          result,
          count: byResult[result],
          share: rate(byResult[result], total),
          reasons: topReasons(reasons, result),
        })),
        guard: { candidateRule: CANDIDATE_HASH_RULE, candidateAbusiveHashes: candidates, pausedCampaigns: paused },
        buckets: bucketDtos,
      });
    },
    { isolationLevel: "repeatable read", accessMode: "read only" },
  );
}
