import { sql, type SQL } from "drizzle-orm";
import type { Tx } from "@/db/client";
import type { PromoResult } from "@/db/schema";
import { CANDIDATE_HASH_RULE } from "./dashboard-schemas";

// The dashboard's SQL readers; every one runs in getDashboard's repeatable-read transaction.

const MAX_CANDIDATE_HASHES = 20;
const MAX_RECENTLY_PAUSED = 100;

/** Buckets start on multiples of the bucket size since this instant (UTC), so they never shift with the clock. */
const BUCKET_ORIGIN = "2000-01-01T00:00:00Z";

// The driver hands timestamps back as text; the DTO speaks ISO 8601.
const iso = (value: Date | string) => new Date(value).toISOString();

export interface Span {
  /** Start of the first bucket: the window is the last `buckets` buckets, the current one included. */
  from: string;
  to: string;
  step: SQL;
  buckets: number;
}

/** The window ending now on the database's clock: `buckets` buckets of `bucketMinutes`, the current one last. */
export async function windowSpan(tx: Tx, bucketMinutes: number, buckets: number): Promise<Span> {
  const step = sql`make_interval(mins => ${bucketMinutes}::int)`;
  const [bounds] = await tx.execute<{ from: string; to: string }>(sql`
    select date_bin(${step}, now(), ${BUCKET_ORIGIN}::timestamptz) - ${step} * ${buckets - 1} as "from", now() as "to"`);
  return { from: iso(bounds!.from), to: iso(bounds!.to), step, buckets };
}

const ofBusiness = (businessId: string | undefined) => (businessId ? sql`and business_id = ${businessId}` : sql``);

/** promo_attempts rows of the window (through the attempted_at index), of one business when given. */
const attemptsIn = (w: Span, businessId: string | undefined) =>
  sql`attempted_at >= ${w.from}::timestamptz and attempted_at <= now() ${ofBusiness(businessId)}`;

/** The window's failed attempts: every result but ACCEPTED, which the failure mix and the candidates read. */
const failedAttemptsIn = (w: Span, businessId: string | undefined) => sql`${attemptsIn(w, businessId)} and result <> 'ACCEPTED'`;

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
export async function timeline(tx: Tx, w: Span, businessId: string | undefined) {
  const rows = await tx.execute<TimelineRow>(sql`
    with series as (
      select generate_series(${w.from}::timestamptz, ${w.from}::timestamptz + ${w.step} * ${w.buckets - 1}, ${w.step}) as start
    ),
    attempt_counts as (
      select date_bin(${w.step}, attempted_at, ${BUCKET_ORIGIN}::timestamptz) as start, result, count(*)::int as n
      from promo_attempts
      where ${attemptsIn(w, businessId)}
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
    select date_bin(${w.step}, attempted_at + interval '7 days', ${BUCKET_ORIGIN}::timestamptz) as start,
           count(*)::int as total, count(*) filter (where result = 'ACCEPTED')::int as accepted
    from promo_attempts
    where attempted_at >= ${w.from}::timestamptz - interval '7 days' and attempted_at <= now() - interval '7 days' ${ofBusiness(businessId)}
    group by 1`);
  return new Map([...rows].map((row) => [iso(row.start), { total: row.total, accepted: row.accepted }]));
}

/** Coupon uses applied in the window and still applied (a refund rollback takes its discount back), per currency. */
export async function discountGranted(tx: Tx, w: Span, businessId: string | undefined) {
  const rows = await tx.execute<{ currency: string; amount: string; uses: number }>(sql`
    select coalesce(currency, '') as currency, sum(discount_amount)::text as amount, count(*)::int as uses
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
    select result, reason, count(*)::int as n
    from promo_attempts
    where ${failedAttemptsIn(w, businessId)}
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
export async function candidateHashes(tx: Tx, w: Span, businessId: string | undefined) {
  const rows = await tx.execute<CandidateRow>(sql`
    select business_id, normalized_code_hash as code_hash,
           (array_agg(code_prefix order by attempted_at desc))[1] as code_prefix,
           (array_agg(book_id order by attempted_at desc))[1] as book_id,
           (array_agg(attributed_book_id order by attempted_at desc))[1] as attributed_book_id,
           count(*)::int as attempts, count(distinct user_id)::int as distinct_users,
           count(distinct ip_hash)::int as distinct_ips, max(attempted_at) as last_seen
    from promo_attempts
    where ${failedAttemptsIn(w, businessId)}
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
