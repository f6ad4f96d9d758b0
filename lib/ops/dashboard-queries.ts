import { sql, type SQL } from "drizzle-orm";
import type { Tx } from "@/db/client";
import type { PromoResult } from "@/db/schema";
import { attemptCounts, readAttemptsRolledThrough, rollupSplit } from "@/lib/promo/attempt-rollup";
import { CANDIDATE_HASH_RULE } from "./dashboard-schemas";

// The dashboard's SQL readers; every one runs in getDashboard's repeatable-read transaction.

const MAX_CANDIDATE_HASHES = 20;
/** Two shoppers are two attempts: no hash with fewer failed attempts than this can be a candidate. */
const MIN_CANDIDATE_ATTEMPTS = Math.min(CANDIDATE_HASH_RULE.minDistinctUsers, CANDIDATE_HASH_RULE.minFailedAttempts);
const MAX_RECENTLY_PAUSED = 100;

/** Buckets start on multiples of the bucket size since this instant (UTC), so they never shift with the clock. */
const BUCKET_ORIGIN = "2000-01-01T00:00:00Z";

// The driver hands timestamps back as text; the DTO speaks ISO 8601.
const iso = (value: Date | string) => new Date(value).toISOString();

const WEEK_MS = 7 * 24 * 3_600_000;

export interface Span {
  /** Start of the first bucket: the window is the last `buckets` buckets, the current one included. */
  from: string;
  to: string;
  step: SQL;
  buckets: number;
  /**
   * Where the hourly rollup hands over to promo_attempts, for this window and for the same window a
   * week earlier (lib/promo/attempt-rollup.ts). Equal to the window's start when its buckets are
   * shorter than an hour or nothing is rolled up yet: then every attempt is read raw.
   */
  split: string;
  /** The same window exactly a week earlier, for the acceptance comparison. */
  lastWeek: { from: string; to: string; split: string };
}

/**
 * The window ending now on the database's clock: `buckets` buckets of `bucketMinutes`, the current
 * one last, and how far the attempt rollup covers it, read in the caller's snapshot.
 */
export async function windowSpan(tx: Tx, bucketMinutes: number, buckets: number): Promise<Span> {
  const step = sql`make_interval(mins => ${bucketMinutes}::int)`;
  const [bounds] = await tx.execute<{ from: string; to: string }>(sql`
    select date_bin(${step}, now(), ${BUCKET_ORIGIN}::timestamptz) - ${step} * ${buckets - 1} as "from", now() as "to"`);
  const from = iso(bounds!.from);
  const to = iso(bounds!.to);
  // An hour's rolled-up count can only fill a bucket it lies in whole.
  const rolledThrough = bucketMinutes % 60 === 0 ? await readAttemptsRolledThrough(tx) : null;
  const lastWeekFrom = new Date(Date.parse(from) - WEEK_MS).toISOString();
  const lastWeekTo = new Date(Date.parse(to) - WEEK_MS).toISOString();
  return {
    from,
    to,
    step,
    buckets,
    split: rollupSplit(from, to, rolledThrough),
    lastWeek: { from: lastWeekFrom, to: lastWeekTo, split: rollupSplit(lastWeekFrom, lastWeekTo, rolledThrough) },
  };
}

const ofBusiness = (businessId: string | undefined) => (businessId ? sql`and business_id = ${businessId}` : sql``);

/** The window's attempts as (at, result, reason, n) rows: rolled-up hours, then raw rows (attemptCounts). */
const windowAttempts = (w: Span, businessId: string | undefined) => attemptCounts(w.from, w.split, sql`now()`, ofBusiness(businessId));

/** The window's raw failed attempts (every result but ACCEPTED), which the candidates read through promo_attempts_failed_idx. */
const failedAttemptsIn = (w: Span, businessId: string | undefined) =>
  sql`attempted_at >= ${w.from}::timestamptz and attempted_at <= now() and result <> 'ACCEPTED' ${ofBusiness(businessId)}`;

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
 * the reservations made in it by what became of them. Attempts come from the hourly rollup for the
 * rolled hours and from promo_attempts (attempted_at index) after them.
 */
export async function timeline(tx: Tx, w: Span, businessId: string | undefined) {
  const rows = await tx.execute<TimelineRow>(sql`
    with series as (
      select generate_series(${w.from}::timestamptz, ${w.from}::timestamptz + ${w.step} * ${w.buckets - 1}, ${w.step}) as start
    ),
    attempt_counts as (
      select date_bin(${w.step}, at, ${BUCKET_ORIGIN}::timestamptz) as start, result, sum(n)::int as n
      from ${windowAttempts(w, businessId)} a
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
  return [...rows].map((row) => ({ ...row, start: iso(row.start) }));
}

type LastWeekRow = { start: string; total: number; accepted: number };

/**
 * The window a week earlier, bucket for bucket: attempts binned after moving them 7 days forward, so
 * each row's start is the bucket of this window it compares with (7 days is a whole number of
 * buckets of every window). Up to the same point of the week-old current bucket.
 */
export async function lastWeekAttempts(tx: Tx, w: Span, businessId: string | undefined) {
  const rows = await tx.execute<LastWeekRow>(sql`
    select date_bin(${w.step}, at + interval '7 days', ${BUCKET_ORIGIN}::timestamptz) as start,
           sum(n)::int as total, coalesce(sum(n) filter (where result = 'ACCEPTED'), 0)::int as accepted
    from ${attemptCounts(w.lastWeek.from, w.lastWeek.split, sql`now() - interval '7 days'`, ofBusiness(businessId))} a
    group by 1`);
  return new Map([...rows].map((row) => [iso(row.start), { total: row.total, accepted: row.accepted }]));
}

/**
 * Coupon uses applied in the window and still applied (a refund rollback takes its discount back),
 * per currency; a use without one (a redeem without a cart) is in USD, as the checkout reads it.
 */
export async function discountGranted(tx: Tx, w: Span, businessId: string | undefined) {
  const rows = await tx.execute<{ currency: string; amount: string; uses: number }>(sql`
    select coalesce(currency, 'USD') as currency, sum(discount_amount)::text as amount, count(*)::int as uses
    from redemptions
    where applied_at >= ${w.from}::timestamptz and applied_at <= now() and status = 'PR_APPLIED' ${ofBusiness(businessId)}
    group by 1
    order by 1`);
  return [...rows].map((row) => ({ currency: row.currency, amount: Number(row.amount), uses: row.uses }));
}

export type FailureReasonRow = { result: PromoResult; reason: string; n: number };

/** Failed attempts by result and reason; the top reasons per result are picked from these. */
export async function failureReasons(tx: Tx, w: Span, businessId: string | undefined) {
  const rows = await tx.execute<FailureReasonRow>(sql`
    select result, reason, sum(n)::int as n
    from ${windowAttempts(w, businessId)} a
    where result <> 'ACCEPTED'
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
 * a code is unique within its business, so (business, hash) is one code of one campaign. Distinct
 * shoppers can't be added up from hourly counts, so this reads the window's raw failed attempts,
 * and only those, through promo_attempts_failed_idx (an index-only scan). Book and prefix are those
 * of the hash's latest failed attempt, looked up for the few hashes listed.
 */
export async function candidateHashes(tx: Tx, w: Span, businessId: string | undefined) {
  const rows = await tx.execute<CandidateRow>(sql`
    with failed as materialized (
      select business_id, normalized_code_hash, user_id, ip_hash, attempted_at
      from promo_attempts
      where ${failedAttemptsIn(w, businessId)}
    ),
    -- Most failures are one-off typos: a hash tried fewer times than either threshold can't pass
    -- the rule, so the distinct counts (which sort) only run over the hashes tried more often.
    repeated as (
      select business_id, normalized_code_hash from failed
      group by business_id, normalized_code_hash
      having count(*) >= ${MIN_CANDIDATE_ATTEMPTS}
    ),
    candidates as (
      select business_id, normalized_code_hash, count(*)::int as attempts, count(distinct user_id)::int as distinct_users,
             count(distinct ip_hash)::int as distinct_ips, max(attempted_at) as last_seen
      from failed join repeated using (business_id, normalized_code_hash)
      group by business_id, normalized_code_hash
      having count(distinct user_id) >= ${CANDIDATE_HASH_RULE.minDistinctUsers} or count(*) >= ${CANDIDATE_HASH_RULE.minFailedAttempts}
      order by attempts desc, distinct_users desc, last_seen desc, normalized_code_hash
      limit ${MAX_CANDIDATE_HASHES}
    )
    select c.business_id, c.normalized_code_hash as code_hash, latest.code_prefix, latest.book_id, latest.attributed_book_id,
           c.attempts, c.distinct_users, c.distinct_ips, c.last_seen
    from candidates c
    cross join lateral (
      select code_prefix, book_id, attributed_book_id from promo_attempts p
      where p.normalized_code_hash = c.normalized_code_hash and p.business_id = c.business_id
        and p.result <> 'ACCEPTED' and p.attempted_at = c.last_seen
      limit 1
    ) latest
    order by c.attempts desc, c.distinct_users desc, c.last_seen desc, c.normalized_code_hash`);
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
export async function pausedCampaigns(tx: Tx, w: Span, businessId: string | undefined) {
  const isPausedNow = sql`b.status = 'PAUSED' and (b.expires_at is null or b.expires_at > now())
    ${businessId ? sql`and b.business_id = ${businessId}` : sql``}`;
  const [totals] = await tx.execute<{ total: number }>(sql`select count(*)::int as total from coupon_books b where ${isPausedNow}`);
  const recent = await tx.execute<{ id: string; name: string; business_id: string; paused_by: string | null; actor: string; at: string; reason: string | null }>(sql`
    select b.id, b.name, b.business_id, b.paused_by, p.actor, p.at, p.reason
    from coupon_books b
    cross join lateral (
      select a.actor, a.at, a.details->>'reason' as reason from redemption_audit a
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
      reason: r.reason,
    })),
  };
}
