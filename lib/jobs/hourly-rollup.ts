import { sql, type SQL } from "drizzle-orm";
import type { Db, DbOrTx, Tx } from "@/db/client";
import { readJobCursor, saveJobCursor } from "./job-cursor";

/**
 * Hourly rollups of append-only logs (promo_attempts, redemption_audit), which readers would
 * otherwise count whole. A rollup job counts each closed hour of its log into its table, in hour
 * order, and moves its cursor, `rolledThrough`, in the same transaction: the table then holds
 * exactly the log's rows before `rolledThrough`. Readers take the hours before the cursor from the
 * table and the rows from it on from the log, in one snapshot, so a lagging (or never run) job
 * makes a read slower, never different.
 */

export const HOUR_MS = 3_600_000;
const HOUR_ORIGIN = "2000-01-01T00:00:00Z";

/** Hours with rows rolled up per run, one transaction each: a backfill of a long log goes on over several runs. */
export const ROLLUP_HOURS_PER_RUN = 48;

/**
 * A margin past the open transactions the job can see: PostgreSQL shows another role's sessions
 * without their xact_start, so one writing as another role is covered only by this.
 */
export const SETTLE_MS = 2 * 60_000;

export interface HourlyRollup {
  /** The job, and the key of its cursor in job_cursors. */
  job: string;
  /** The log: rows are only ever inserted, with `at` defaulting to now(). */
  log: SQL;
  at: SQL;
  table: SQL;
  /** The table's key columns besides `hour`, each with the expression over the log's row that fills it. */
  keys: { column: SQL; value: SQL }[];
  /** The table's count column. */
  count: SQL;
}

/** The cursor: the end of the rolled hours, an ISO instant on an hour boundary; null before the first run. */
export async function readRolledThrough(db: DbOrTx, job: string): Promise<string | null> {
  const cursor = await readJobCursor(db, job);
  const at = cursor.rolledThrough ? Date.parse(cursor.rolledThrough) : Number.NaN;
  // A value that is not an hour boundary is no cursor a rollup wrote: read everything raw.
  return Number.isFinite(at) && at % HOUR_MS === 0 ? new Date(at).toISOString() : null;
}

/**
 * The cursor as SQL, for a reader that must take it in the same statement (the metrics scrape):
 * -infinity before the first run, so every row is read raw.
 */
export const rolledThroughSql = (job: string) =>
  sql`coalesce((select (cursor->>'rolledThrough')::timestamptz from job_cursors where job = ${job}), '-infinity'::timestamptz)`;

/**
 * The end of the closed hours: those no transaction can still add a row to. A log's `at` is the
 * inserting transaction's now(), its start time, not its commit time: a checkout that began at
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

type Step = { hour: string; rows: number } | { caughtUpTo: string };

// Each statement its own snapshot: the count's is taken after readClock looked at the open transactions.
const READ_COMMITTED = { isolationLevel: "read committed" } as const;

const lockRollup = (db: DbOrTx, r: HourlyRollup) => db.execute(sql`select pg_advisory_xact_lock(hashtext(${r.job}))`);

/**
 * Rolls up the first closed hour with rows at or after the cursor and moves the cursor past it, in
 * one transaction; when no closed hour has any, moves the cursor to the end of the closed hours.
 * Runs take the rollup's advisory lock, so two never roll the same hour at once. The hours the
 * cursor passes are replaced whole (the empty ones it skips included: rows left there by a run
 * before a rewind would otherwise stay below the cursor), so rolling an hour again is harmless.
 */
async function rollNextHour(db: Db, r: HourlyRollup): Promise<Step> {
  return db.transaction(async (tx) => {
    await lockRollup(tx, r);
    const rolledThrough = await readRolledThrough(tx, r.job);
    const clock = await readClock(tx);
    const end = closedHoursEnd(clock.now, clock.oldestOpenTransaction);
    if (rolledThrough !== null && rolledThrough >= end) return { caughtUpTo: rolledThrough };
    const from = sql`coalesce(${rolledThrough}::timestamptz, '-infinity')`;
    // Through the log's index on `at`: skips hours without rows, however many.
    const [next] = await tx.execute<{ hour: string | null }>(sql`
      select date_bin(interval '1 hour', min(${r.at}), ${HOUR_ORIGIN}::timestamptz) as hour
      from ${r.log} where ${r.at} >= ${from} and ${r.at} < ${end}::timestamptz`);
    const hour = next?.hour ? new Date(next.hour).toISOString() : null;
    const upTo = hour ? new Date(Date.parse(hour) + HOUR_MS).toISOString() : end;
    await tx.execute(sql`delete from ${r.table} where hour >= ${from} and hour < ${upTo}::timestamptz`);
    let rows = 0;
    if (hour) {
      const columns = sql.join(r.keys.map((k) => k.column), sql`, `);
      const values = sql.join(r.keys.map((k) => k.value), sql`, `);
      const groups = sql.join(r.keys.map((_, i) => sql.raw(String(i + 2))), sql`, `);
      const [counted] = await tx.execute<{ rows: number }>(sql`
        with counts as (
          insert into ${r.table} (hour, ${columns}, ${r.count})
          select ${hour}::timestamptz, ${values}, count(*)::int
          from ${r.log}
          where ${r.at} >= ${hour}::timestamptz and ${r.at} < ${upTo}::timestamptz
          group by ${groups}
          returning ${r.count} as n
        )
        select coalesce(sum(n), 0)::int as rows from counts`);
      rows = counted!.rows;
    }
    await saveJobCursor(tx, r.job, { rolledThrough: upTo });
    return hour ? { hour, rows } : { caughtUpTo: upTo };
  }, READ_COMMITTED);
}

/**
 * Rolls up closed hours from the cursor on, at most `maxHours` hours with rows: the run's summary
 * says how many hours and rows, where the cursor is, and whether hours may be left.
 */
export async function rollUpHours(db: Db, r: HourlyRollup, { maxHours = ROLLUP_HOURS_PER_RUN }: { maxHours?: number } = {}) {
  let hours = 0;
  let rows = 0;
  for (let i = 0; i < maxHours; i++) {
    const step = await rollNextHour(db, r);
    if ("caughtUpTo" in step) return { hours, rows, rolledThrough: step.caughtUpTo, moreLeft: false };
    hours++;
    rows += step.rows;
  }
  return { hours, rows, rolledThrough: await readRolledThrough(db, r.job), moreLeft: true };
}

/**
 * Moves the cursor back to the hour of `at` (never forward), so the next runs roll those hours up
 * again. For rows written with a past time (an import, the demo seed, the benchmark): the product's
 * own inserts take the database's clock and never need it. In the transaction that wrote the rows,
 * so the rows and the rewind commit together (a run that is rolling meanwhile waits on the lock).
 */
export async function rewindRollupIn(tx: Tx, r: HourlyRollup, at: Date) {
  await lockRollup(tx, r);
  const rolledThrough = await readRolledThrough(tx, r.job);
  const hour = new Date(Math.floor(at.getTime() / HOUR_MS) * HOUR_MS).toISOString();
  if (rolledThrough !== null && rolledThrough > hour) await saveJobCursor(tx, r.job, { rolledThrough: hour });
}

/** rewindRollupIn in a transaction of its own, for rows that are already committed. */
export async function rewindRollup(db: Db, r: HourlyRollup, at: Date) {
  await db.transaction((tx) => rewindRollupIn(tx, r, at));
}
