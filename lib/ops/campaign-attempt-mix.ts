import { sql, type SQL } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { PROMO_RESULTS, type PromoResult } from "@/db/schema";

/** The runbook's monitoring window (seed 001 §4: "monitor for 10–15 minutes"). */
export const RECENT_ATTEMPT_MINUTES = 15;

export interface AttemptFigures {
  attempts: number;
  accepted: number;
  failures: number;
  /** Distinct code hashes and shoppers among the failures: many of either is what a guessing burst looks like. */
  failingCodeHashes: number;
  failingUsers: number;
  /** The newest failure, or null when there was none. */
  lastFailureAt: string | null;
}

export interface CampaignAttemptMix {
  /** The start of the mix (the pause, or the resume when monitoring after it). */
  since: string;
  /** The start of the recent window: the database's now() minus RECENT_ATTEMPT_MINUTES, never before `since`. */
  recentSince: string;
  recentMinutes: number;
  total: AttemptFigures;
  recent: AttemptFigures;
  /** Every result with at least one attempt since `since`, in the API's order of results. */
  byResult: { result: PromoResult; attempts: number; recent: number }[];
}

type ResultRow = { result: PromoResult; attempts: number; recent: number };
type SummaryRow = {
  since: string;
  recent_since: string;
  failing_hashes: number;
  failing_users: number;
  last_failure_at: string | null;
  recent_failing_hashes: number;
  recent_failing_users: number;
  recent_last_failure_at: string | null;
};

/**
 * A campaign's attempts since `from` as a subquery: those on its codes (book_id) and the unknown
 * codes attributed to it by prefix (attributed_book_id), each half a range scan of its
 * (…, attempted_at) index. Exported for the test that reads its plan.
 */
export const attemptsOfCampaign = (bookId: string, from: SQL) => sql`(
    select result, attempted_at, normalized_code_hash, user_id from promo_attempts
      where book_id = ${bookId} and attempted_at >= ${from}
    union all
    select result, attempted_at, normalized_code_hash, user_id from promo_attempts
      where attributed_book_id = ${bookId} and book_id is distinct from ${bookId} and attempted_at >= ${from}
  )`;

/**
 * The attempts on one campaign since a point in time (its pause), by result, with the last
 * RECENT_ATTEMPT_MINUTES apart: the evidence of the runbook's "is the abuse burst still active".
 * The cost follows the campaign's attempts since the pause, not the table.
 */
export async function campaignAttemptMix(db: DbOrTx, bookId: string, since: Date | string): Promise<CampaignAttemptMix> {
  // A string keeps PostgreSQL's microseconds (an audit row's `at::text`); a Date is cut to milliseconds.
  const from = sql`${since instanceof Date ? since.toISOString() : since}::timestamptz`;
  const attempts = attemptsOfCampaign(bookId, from);
  const recentSince = sql`greatest(${from}, now() - make_interval(mins => ${RECENT_ATTEMPT_MINUTES}))`;
  const failed = sql`result <> 'ACCEPTED'`;
  const recentFailed = sql`result <> 'ACCEPTED' and attempted_at >= ${recentSince}`;
  const [byResult, [summary]] = await Promise.all([
    db.execute<ResultRow>(sql`
      select result, count(*)::int as attempts, count(*) filter (where attempted_at >= ${recentSince})::int as recent
      from ${attempts} a group by result`),
    db.execute<SummaryRow>(sql`
      select ${from} as since, ${recentSince} as recent_since,
             count(distinct normalized_code_hash) filter (where ${failed})::int as failing_hashes,
             count(distinct user_id) filter (where ${failed})::int as failing_users,
             max(attempted_at) filter (where ${failed}) as last_failure_at,
             count(distinct normalized_code_hash) filter (where ${recentFailed})::int as recent_failing_hashes,
             count(distinct user_id) filter (where ${recentFailed})::int as recent_failing_users,
             max(attempted_at) filter (where ${recentFailed}) as recent_last_failure_at
      from ${attempts} a`),
  ]);

  const rows = new Map([...byResult].map((row) => [row.result, row]));
  const ordered = PROMO_RESULTS.flatMap((result) => {
    const row = rows.get(result);
    return row ? [{ result, attempts: Number(row.attempts), recent: Number(row.recent) }] : [];
  });
  const figures = (pick: (row: (typeof ordered)[number]) => number, hashes: number, users: number, last: string | null): AttemptFigures => {
    const attemptsCount = ordered.reduce((sum, row) => sum + pick(row), 0);
    const accepted = ordered.filter((row) => row.result === "ACCEPTED").reduce((sum, row) => sum + pick(row), 0);
    return { attempts: attemptsCount, accepted, failures: attemptsCount - accepted, failingCodeHashes: hashes, failingUsers: users, lastFailureAt: iso(last) };
  };
  return {
    since: iso(summary!.since)!,
    recentSince: iso(summary!.recent_since)!,
    recentMinutes: RECENT_ATTEMPT_MINUTES,
    total: figures((row) => row.attempts, Number(summary!.failing_hashes), Number(summary!.failing_users), summary!.last_failure_at),
    recent: figures((row) => row.recent, Number(summary!.recent_failing_hashes), Number(summary!.recent_failing_users), summary!.recent_last_failure_at),
    byResult: ordered,
  };
}

/** postgres.js hands timestamptz from raw SQL back as a Date or a string depending on the path; the DTO carries ISO strings. */
function iso(value: string | Date | null): string | null {
  if (value === null) return null;
  return new Date(value).toISOString();
}
