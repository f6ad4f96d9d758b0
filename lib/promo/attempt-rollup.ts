import { sql, type SQL } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { readJobCursor } from "@/lib/jobs/job-cursor";

/**
 * The hourly attempt rollup (promo_attempt_hourly), the readers' side. The `attempt-rollup` job
 * (lib/maintenance/attempt-rollup.ts) rolls closed hours up in order and moves its cursor,
 * `rolledThrough`, in the same transaction: the table then holds exactly the attempts before
 * `rolledThrough`, every one of them. A reader takes whole hours before it from the table and
 * everything from it on from promo_attempts, in one snapshot, so a lagging (or never run) job
 * makes a read slower, never different.
 */

export const ATTEMPT_ROLLUP_JOB = "attempt-rollup";
export const HOUR_MS = 3_600_000;

/** The cursor's end of the rolled hours, as stored: an ISO instant on an hour boundary; null before the first run. */
export async function readRolledThrough(db: DbOrTx): Promise<string | null> {
  const cursor = await readJobCursor(db, ATTEMPT_ROLLUP_JOB);
  const at = cursor.rolledThrough ? Date.parse(cursor.rolledThrough) : Number.NaN;
  // A value that is not an hour boundary is no cursor this code wrote: read everything raw.
  return Number.isFinite(at) && at % HOUR_MS === 0 ? new Date(at).toISOString() : null;
}

/**
 * Where the rollup stops and the raw rows start when reading attempts of [lo, hi]: the rolled hours
 * that lie whole inside the range, none when `lo` is not on an hour (a bucket of the 1h window is 5
 * minutes: an hour's total can't be split into those). At most hi's own hour start, so that the
 * raw side keeps `attempted_at <= hi` for the hour in progress.
 */
export function rollupSplit(lo: string, hi: string, rolledThrough: string | null): string {
  const from = Date.parse(lo);
  if (rolledThrough === null || from % HOUR_MS !== 0) return lo;
  const upTo = Math.min(Date.parse(rolledThrough), Math.floor(Date.parse(hi) / HOUR_MS) * HOUR_MS);
  return new Date(Math.max(from, upTo)).toISOString();
}

/**
 * Attempts of [lo, hi] as rows of (at, result, reason, n), to be summed by the caller's grouping:
 * the rolled hours in [lo, split) (`at` is the hour's start, `n` its count) and the raw rows of
 * [split, hi] (`n` = 1). `hi` is SQL (now(), now() - 7 days) so the raw side ends on the
 * database's clock; `where` narrows both sides (a business).
 */
export function attemptCounts(lo: string, split: string, hi: SQL, where: SQL = sql``) {
  return sql`(
    select hour as at, result, reason, attempts as n
    from promo_attempt_hourly
    where hour >= ${lo}::timestamptz and hour < ${split}::timestamptz ${where}
    union all
    select attempted_at, result, reason, 1
    from promo_attempts
    where attempted_at >= ${split}::timestamptz and attempted_at <= ${hi} ${where}
  )`;
}
