import { sql } from "drizzle-orm";
import type { Db, DbOrTx } from "@/db/client";
import type { Job } from "@/lib/jobs/job";
import { saveJobCursor } from "@/lib/jobs/job-cursor";
import { ATTEMPT_ROLLUP_JOB, HOUR_MS, readRolledThrough } from "@/lib/promo/attempt-rollup";

/** Hours with attempts rolled up per run, one transaction each: a backfill of a long log goes on over several runs. */
export const ROLLUP_HOURS_PER_RUN = 48;

const HOUR_ORIGIN = "2000-01-01T00:00:00Z";

/**
 * A margin past the open transactions this job can see: PostgreSQL shows another role's sessions
 * without their xact_start, so one writing as another role is covered only by this.
 */
export const SETTLE_MS = 2 * 60_000;

/**
 * The end of the closed hours: those no transaction can still add an attempt to. attempted_at is
 * the inserting transaction's now(), its start time, not its commit time: a checkout that began at
 * 10:59:59 and commits at 11:00:01 adds a 10:59:59 row to an hour that had ended. So an hour is
 * closed once it ended before the oldest transaction still open and before now less SETTLE_MS.
 */
export function closedHoursEnd(now: Date, oldestOpenTransaction: Date | null): string {
  const before = Math.min(now.getTime() - SETTLE_MS, oldestOpenTransaction?.getTime() ?? Number.POSITIVE_INFINITY);
  return new Date(Math.floor(before / HOUR_MS) * HOUR_MS).toISOString();
}

/**
 * The database's now() and the start of the oldest transaction open in other sessions of this
 * database (pg_stat_activity's xact_start is the now() their inserts take). Read in a statement of
 * its own, before the statement that counts: a transaction open here is held back from, one that
 * committed before is seen by, the count's snapshot.
 */
export async function readClock(tx: DbOrTx): Promise<{ now: Date; oldestOpenTransaction: Date | null }> {
  const [row] = await tx.execute<{ now: string; oldest: string | null }>(sql`
    select now() as now, min(xact_start) as oldest
    from pg_stat_activity
    where datname = current_database() and backend_type = 'client backend' and pid <> pg_backend_pid() and xact_start is not null`);
  return { now: new Date(row!.now), oldestOpenTransaction: row!.oldest ? new Date(row!.oldest) : null };
}

type Step = { hour: string; attempts: number } | { caughtUpTo: string };

// Each statement its own snapshot: the count's is taken after readClock looked at the open transactions.
const READ_COMMITTED = { isolationLevel: "read committed" } as const;

/**
 * Rolls up the first closed hour with attempts at or after the cursor, and moves the cursor past
 * it, in one transaction; when no closed hour has any, moves the cursor to the end of the closed
 * hours. Runs of the job take the same advisory lock, so two never roll the same hour at once; an
 * hour is replaced whole (delete, then insert its counts), so rolling it again is harmless.
 * Rows before the cursor stay as they are: promo_attempt_hourly holds exactly the attempts before it.
 */
async function rollNextHour(db: Db): Promise<Step> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${ATTEMPT_ROLLUP_JOB}))`);
    const rolledThrough = await readRolledThrough(tx);
    const clock = await readClock(tx);
    const end = closedHoursEnd(clock.now, clock.oldestOpenTransaction);
    if (rolledThrough !== null && rolledThrough >= end) return { caughtUpTo: rolledThrough };
    // Through promo_attempts_attempted_idx: skips hours without attempts, however many.
    const [next] = await tx.execute<{ hour: string | null }>(sql`
      select date_bin(interval '1 hour', min(attempted_at), ${HOUR_ORIGIN}::timestamptz) as hour
      from promo_attempts
      where attempted_at >= coalesce(${rolledThrough}::timestamptz, '-infinity') and attempted_at < ${end}::timestamptz`);
    // Hours the cursor passes are replaced whole, the empty ones it skips included (rows left there
    // by a run before a rewind would otherwise stay below the cursor and be counted).
    const clear = (upTo: string) => tx.execute(sql`
      delete from promo_attempt_hourly where hour >= coalesce(${rolledThrough}::timestamptz, '-infinity') and hour < ${upTo}::timestamptz`);
    if (!next?.hour) {
      await clear(end);
      await saveJobCursor(tx, ATTEMPT_ROLLUP_JOB, { rolledThrough: end });
      return { caughtUpTo: end };
    }
    const hour = new Date(next.hour).toISOString();
    const hourEnd = new Date(Date.parse(hour) + HOUR_MS).toISOString();
    await clear(hourEnd);
    const [counted] = await tx.execute<{ attempts: number }>(sql`
      with counts as (
        insert into promo_attempt_hourly (business_id, hour, result, reason, attempts)
        select business_id, ${hour}::timestamptz, result, reason, count(*)::int
        from promo_attempts
        where attempted_at >= ${hour}::timestamptz and attempted_at < ${hourEnd}::timestamptz
        group by business_id, result, reason
        returning attempts
      )
      select coalesce(sum(attempts), 0)::int as attempts from counts`);
    await saveJobCursor(tx, ATTEMPT_ROLLUP_JOB, { rolledThrough: hourEnd });
    return { hour, attempts: counted!.attempts };
  }, READ_COMMITTED);
}

/**
 * `attempt-rollup`: counts of promo_attempts per business, closed hour, result and reason into
 * promo_attempt_hourly, in hour order from where the last run stopped, at most
 * ROLLUP_HOURS_PER_RUN hours with attempts per run. The dashboard and the metrics scrape read the
 * rolled hours from there and the rest raw, so their figures do not depend on this job's lag.
 */
export async function rollUpAttempts(db: Db, { maxHours = ROLLUP_HOURS_PER_RUN }: { maxHours?: number } = {}) {
  let hours = 0;
  let attempts = 0;
  for (let i = 0; i < maxHours; i++) {
    const step = await rollNextHour(db);
    if ("caughtUpTo" in step) return { hours, attempts, rolledThrough: step.caughtUpTo, moreLeft: false };
    hours++;
    attempts += step.attempts;
  }
  return { hours, attempts, rolledThrough: await readRolledThrough(db), moreLeft: true };
}

/**
 * Moves the cursor back to the hour of `at` (never forward), so the next runs roll those hours up
 * again. For attempts written with a past attempted_at (an import, the benchmark): the product's
 * own inserts take the database's clock and never need it.
 */
export async function rewindAttemptRollup(db: Db, at: Date) {
  await db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${ATTEMPT_ROLLUP_JOB}))`);
    const rolledThrough = await readRolledThrough(tx);
    const hour = new Date(Math.floor(at.getTime() / HOUR_MS) * HOUR_MS).toISOString();
    if (rolledThrough !== null && rolledThrough > hour) await saveJobCursor(tx, ATTEMPT_ROLLUP_JOB, { rolledThrough: hour });
  });
}

export const attemptRollupJob: Job = {
  name: ATTEMPT_ROLLUP_JOB,
  description: "counts of promo_attempts per business, closed hour, result and reason (promo_attempt_hourly) for the dashboard and the metrics scrape",
  run: (db) => rollUpAttempts(db),
};
