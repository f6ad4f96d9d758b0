import { sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import type { Db, Tx } from "@/db/client";
import { PROMO_RESULTS, type PromoResult } from "@/db/schema";

/** Each window is a fixed number of equal buckets: 12 × 5 min, 24 × 1 h, 28 × 6 h. */
export const DASHBOARD_WINDOWS = {
  "1h": { bucketMinutes: 5, buckets: 12 },
  "24h": { bucketMinutes: 60, buckets: 24 },
  "7d": { bucketMinutes: 360, buckets: 28 },
} as const;
export type DashboardWindow = keyof typeof DASHBOARD_WINDOWS;
const WINDOW_NAMES = Object.keys(DASHBOARD_WINDOWS) as [DashboardWindow, ...DashboardWindow[]];

export const DashboardQuery = z.object({
  window: z.enum(WINDOW_NAMES).default("24h"),
  businessId: z.uuid().optional(),
});
export type DashboardQuery = z.infer<typeof DashboardQuery>;

/**
 * A code hash is a candidate when its failed attempts in the window came from at least this many
 * shoppers (a code passed around) or number at least this many (one shopper hammering it). Far below
 * the guard's pause thresholds on purpose: this list is for a person to look at before the guard acts.
 */
export const CANDIDATE_HASH_RULE = { minDistinctUsers: 2, minFailedAttempts: 5 } as const;
export const MAX_CANDIDATE_HASHES = 20;
export const MAX_REASONS_PER_RESULT = 5;
export const MAX_RECENTLY_PAUSED = 100;

type FailureResult = Exclude<PromoResult, "ACCEPTED">;
export const FAILURE_RESULTS = PROMO_RESULTS.filter((r): r is FailureResult => r !== "ACCEPTED") as [FailureResult, ...FailureResult[]];

/** Buckets start on multiples of the bucket size since this instant (UTC), so they never shift with the clock. */
const BUCKET_ORIGIN = "2000-01-01T00:00:00Z";

const ratio = z.number().min(0).max(1).nullable();
const count = z.number().int().nonnegative();
const resultCounts = z.object(Object.fromEntries(PROMO_RESULTS.map((r) => [r, count])) as Record<PromoResult, typeof count>);

export const DashboardDto = z.object({
  window: z.enum(WINDOW_NAMES),
  businessId: z.uuid().nullable(),
  from: z.string(),
  to: z.string(),
  bucketMinutes: count,
  attempts: z.object({ total: count, accepted: count, acceptanceRate: ratio }),
  reservations: z.object({
    reserved: count,
    applied: count,
    conversionRate: ratio,
    revoked: count,
    released: count,
    expired: count,
    live: count,
  }),
  failures: z.array(
    z.object({
      result: z.enum(FAILURE_RESULTS),
      count,
      share: ratio,
      reasons: z.array(z.object({ reason: z.string(), count })),
    }),
  ),
  guard: z.object({
    candidateRule: z.object({ minDistinctUsers: count, minFailedAttempts: count }),
    candidateAbusiveHashes: z.array(
      z.object({
        codeHash: z.string(),
        codePrefix: z.string(),
        businessId: z.uuid(),
        bookId: z.uuid().nullable(),
        attributedBookId: z.uuid().nullable(),
        attempts: count,
        distinctUsers: count,
        distinctIps: count,
        lastSeen: z.string(),
      }),
    ),
    pausedCampaigns: z.object({
      total: count,
      recentlyPaused: z.array(
        z.object({ bookId: z.uuid(), name: z.string(), businessId: z.uuid(), pausedBy: z.string().nullable(), pausedAt: z.string() }),
      ),
    }),
  }),
  buckets: z.array(z.object({ start: z.string(), attempts: resultCounts, reserved: count, applied: count })),
});
export type DashboardDto = z.infer<typeof DashboardDto>;

/** part / whole to 4 decimals, half up, computed on the integers; null when there is nothing to divide. */
export function rate(part: number, whole: number): number | null {
  return whole === 0 ? null : Math.round((part * 10_000) / whole) / 10_000;
}

// The driver hands timestamps back as text; the DTO speaks ISO 8601.
const iso = (value: Date | string) => new Date(value).toISOString();

const emptyResultCounts = () => Object.fromEntries(PROMO_RESULTS.map((r) => [r, 0])) as Record<PromoResult, number>;

interface Span {
  /** Start of the first bucket: the window is the last `buckets` buckets, the current one included. */
  from: string;
  to: string;
  step: SQL;
  buckets: number;
}

const ofBusiness = (businessId: string | undefined) => (businessId ? sql`and business_id = ${businessId}` : sql``);

type TimelineRow = {
  start: string;
  attempts: Partial<Record<PromoResult, number>>;
  reserved: number;
  applied: number;
  revoked: number;
  released: number;
  expired: number;
  live: number;
};

/**
 * Every bucket of the window (generate_series, so empty ones too) with its attempts by result and
 * the reservations made in it by what became of them. One pass over each table's window, through
 * the attempted_at index for attempts.
 */
async function timeline(tx: Tx, w: Span, businessId: string | undefined) {
  const rows = await tx.execute<TimelineRow>(sql`
    with series as (
      select generate_series(${w.from}::timestamptz, ${w.from}::timestamptz + ${w.step} * ${w.buckets - 1}, ${w.step}) as start
    ),
    attempt_counts as (
      select date_bin(${w.step}, attempted_at, ${BUCKET_ORIGIN}::timestamptz) as start, result, count(*)::int as n
      from promo_attempts
      where attempted_at >= ${w.from}::timestamptz and attempted_at <= now() ${ofBusiness(businessId)}
      group by 1, 2
    ),
    attempts_by_bucket as (
      select start, jsonb_object_agg(result, n) as counts from attempt_counts group by start
    ),
    -- A reservation is a ledger row with a hold (expires_at); a redeem straight from ASSIGNED writes
    -- PR_APPLIED without one and is no reservation. A revoked row was applied first (refund).
    reservation_counts as (
      select date_bin(${w.step}, reserved_at, ${BUCKET_ORIGIN}::timestamptz) as start,
             count(*)::int as reserved,
             count(*) filter (where status in ('PR_APPLIED', 'PR_REVOKED'))::int as applied,
             count(*) filter (where status = 'PR_REVOKED')::int as revoked,
             count(*) filter (where status = 'PR_RELEASED')::int as released,
             count(*) filter (where status = 'PR_EXPIRED' or (status = 'PR_RESERVED' and expires_at <= now()))::int as expired,
             count(*) filter (where status = 'PR_RESERVED' and expires_at > now())::int as live
      from redemptions
      where reserved_at >= ${w.from}::timestamptz and reserved_at <= now() and expires_at is not null ${ofBusiness(businessId)}
      group by 1
    )
    select s.start, coalesce(a.counts, '{}'::jsonb) as attempts,
           coalesce(r.reserved, 0) as reserved, coalesce(r.applied, 0) as applied, coalesce(r.revoked, 0) as revoked,
           coalesce(r.released, 0) as released, coalesce(r.expired, 0) as expired, coalesce(r.live, 0) as live
    from series s
    left join attempts_by_bucket a on a.start = s.start
    left join reservation_counts r on r.start = s.start
    order by s.start`);
  return [...rows];
}

/** Failed attempts by result and reason; the top reasons per result are picked from these. */
async function failureReasons(tx: Tx, w: Span, businessId: string | undefined) {
  const rows = await tx.execute<{ result: PromoResult; reason: string; n: number }>(sql`
    select result, reason, count(*)::int as n
    from promo_attempts
    where attempted_at >= ${w.from}::timestamptz and attempted_at <= now() and result <> 'ACCEPTED' ${ofBusiness(businessId)}
    group by result, reason
    order by n desc, reason`);
  return [...rows];
}

type CandidateRow = {
  business_id: string;
  code_hash: string;
  code_prefix: string;
  book_id: string | null;
  attributed_book_id: string | null;
  attempts: number;
  distinct_users: number;
  distinct_ips: number;
  last_seen: string;
};

/**
 * Code hashes with failed attempts (any result but ACCEPTED) over CANDIDATE_HASH_RULE, per business:
 * a code is unique within its business, so (business, hash) is one code of one campaign. Book and
 * prefix are those of its latest attempt.
 */
async function candidateHashes(tx: Tx, w: Span, businessId: string | undefined) {
  const rows = await tx.execute<CandidateRow>(sql`
    select business_id, normalized_code_hash as code_hash,
           (array_agg(code_prefix order by attempted_at desc))[1] as code_prefix,
           (array_agg(book_id order by attempted_at desc))[1] as book_id,
           (array_agg(attributed_book_id order by attempted_at desc))[1] as attributed_book_id,
           count(*)::int as attempts, count(distinct user_id)::int as distinct_users,
           count(distinct ip_hash)::int as distinct_ips, max(attempted_at) as last_seen
    from promo_attempts
    where attempted_at >= ${w.from}::timestamptz and attempted_at <= now() and result <> 'ACCEPTED' ${ofBusiness(businessId)}
    group by business_id, normalized_code_hash
    having count(distinct user_id) >= ${CANDIDATE_HASH_RULE.minDistinctUsers} or count(*) >= ${CANDIDATE_HASH_RULE.minFailedAttempts}
    order by attempts desc, distinct_users desc, last_seen desc, code_hash
    limit ${MAX_CANDIDATE_HASHES}`);
  return [...rows].map((r) => ({
    codeHash: r.code_hash,
    codePrefix: r.code_prefix,
    businessId: r.business_id,
    bookId: r.book_id,
    attributedBookId: r.attributed_book_id,
    attempts: r.attempts,
    distinctUsers: r.distinct_users,
    distinctIps: r.distinct_ips,
    lastSeen: iso(r.last_seen),
  }));
}

/**
 * Books paused now (past expires_at counts as EXPIRED, as everywhere) and, of those, the ones whose
 * latest PAUSE audit row is in the window, newest first. Walking from the few paused books into the
 * audit's (book_id, at) index avoids scanning the audit trail, which every lock and redeem writes to.
 */
async function pausedCampaigns(tx: Tx, w: Span, businessId: string | undefined) {
  const isPausedNow = sql`b.status = 'PAUSED' and (b.expires_at is null or b.expires_at > now())
    ${businessId ? sql`and b.business_id = ${businessId}` : sql``}`;
  const [totals] = await tx.execute<{ total: number }>(sql`select count(*)::int as total from coupon_books b where ${isPausedNow}`);
  const recent = await tx.execute<{ id: string; name: string; business_id: string; paused_by: string | null; actor: string; at: string }>(sql`
    select b.id, b.name, b.business_id, b.paused_by, p.actor, p.at
    from coupon_books b
    cross join lateral (
      select a.actor, a.at from redemption_audit a
      where a.book_id = b.id and a.action = 'PAUSE'
      order by a.at desc
      limit 1
    ) p
    where ${isPausedNow} and p.at >= ${w.from}::timestamptz
    order by p.at desc, b.id
    limit ${MAX_RECENTLY_PAUSED}`);
  return {
    total: totals?.total ?? 0,
    recentlyPaused: [...recent].map((r) => ({
      bookId: r.id,
      name: r.name,
      businessId: r.business_id,
      // The book's own label is the authority (`ops:<id>`, `system:guard`, the seller); the audit's actor is the fallback.
      pausedBy: r.paused_by ?? r.actor,
      pausedAt: iso(r.at),
    })),
  };
}

function topReasons(rows: { result: PromoResult; reason: string; n: number }[], result: PromoResult) {
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
  const step = sql`make_interval(mins => ${bucketMinutes}::int)`;
  return db.transaction(
    async (tx) => {
      const [bounds] = await tx.execute<{ from: string; to: string }>(sql`
        select date_bin(${step}, now(), ${BUCKET_ORIGIN}::timestamptz) - ${step} * ${buckets - 1} as "from", now() as "to"`);
      const w: Span = { from: iso(bounds!.from), to: iso(bounds!.to), step, buckets };
      const series = await timeline(tx, w, query.businessId);
      const reasons = await failureReasons(tx, w, query.businessId);
      const candidates = await candidateHashes(tx, w, query.businessId);
      const paused = await pausedCampaigns(tx, w, query.businessId);

      const byResult = emptyResultCounts();
      const ledger = { reserved: 0, applied: 0, revoked: 0, released: 0, expired: 0, live: 0 };
      const bucketDtos = series.map((row) => {
        const attempts = { ...emptyResultCounts(), ...row.attempts };
        for (const result of PROMO_RESULTS) byResult[result] += attempts[result];
        for (const key of Object.keys(ledger) as (keyof typeof ledger)[]) ledger[key] += row[key];
        return { start: iso(row.start), attempts, reserved: row.reserved, applied: row.applied };
      });
      const total = PROMO_RESULTS.reduce((sum, result) => sum + byResult[result], 0);

      return DashboardDto.parse({
        window: query.window,
        businessId: query.businessId ?? null,
        from: w.from,
        to: w.to,
        bucketMinutes,
        attempts: { total, accepted: byResult.ACCEPTED, acceptanceRate: rate(byResult.ACCEPTED, total) },
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
