import { sql, type SQL } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { HOUR_MS, readRolledThrough, type HourlyRollup } from "@/lib/jobs/hourly-rollup";

/**
 * The hourly attempt rollup, promo_attempt_hourly (lib/jobs/hourly-rollup.ts): filled by the
 * `attempt-rollup` job, read here. It holds exactly the attempts before its cursor, so a reader
 * takes whole hours before the cursor from it and everything after from promo_attempts, in one
 * snapshot: the figures are the same whatever the job's lag.
 */
export const ATTEMPT_ROLLUP: HourlyRollup = {
  job: "attempt-rollup",
  log: sql`promo_attempts`,
  at: sql`attempted_at`,
  table: sql`promo_attempt_hourly`,
  keys: [
    { column: sql`business_id`, value: sql`business_id` },
    { column: sql`result`, value: sql`result` },
    { column: sql`reason`, value: sql`reason` },
  ],
  count: sql`attempts`,
};

/** The attempt rollup's cursor (null: nothing rolled up yet, read everything raw). */
export const readAttemptsRolledThrough = (db: DbOrTx) => readRolledThrough(db, ATTEMPT_ROLLUP.job);

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
