import { and, eq, lt, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { jobRuns, type JobRunStatus } from "@/db/schema";
import { loggableError } from "@/lib/errors";
import { logger } from "@/lib/log";

/** Runs kept per job: a day of a once-a-minute job's history would be 1,440 rows; the page shows the newest few. */
export const JOB_RUNS_KEPT = 200;
const ERROR_MAX_CHARS = 300;

export interface JobRunRecord {
  job: string;
  status: JobRunStatus;
  startedAt: Date;
  finishedAt: Date;
  durationMs: number;
  summary: Record<string, number | string | boolean | null> | null;
  error: string | null;
}

/**
 * What a failed run's row says: the error's name, PostgreSQL code and message as the logs show it
 * (quoted values masked, never a failed query's SQL and parameters), with URLs (webhooks carry their
 * token) taken out. Never a coupon code or a secret.
 */
export function jobRunError(error: unknown): string {
  const { errorName, pgCode, error: message } = loggableError(error);
  const text = `${errorName}${pgCode ? ` (${pgCode})` : ""}: ${message ?? (pgCode ? "database query failed" : "failed")}`
    .replace(/\b[a-z][a-z0-9+.-]*:\/\/\S+/gi, "[url]")
    .replace(/\s+/g, " ")
    .trim();
  return text.length > ERROR_MAX_CHARS ? `${text.slice(0, ERROR_MAX_CHARS - 1)}…` : text;
}

/**
 * Appends a run to job_runs and prunes the job's runs past the newest JOB_RUNS_KEPT in the same
 * transaction, so the table stays bounded however long nobody looks. A failure to record is logged,
 * never thrown: the job's own outcome is what its caller (cron, CLI) must see.
 */
export async function recordJobRun(db: Db, run: JobRunRecord, kept = JOB_RUNS_KEPT): Promise<void> {
  try {
    await db.transaction(async (tx) => {
      await tx.insert(jobRuns).values(run);
      // The oldest start among the newest `kept` runs; everything older goes (none when there are fewer).
      const [cutoff] = await tx
        .select({ startedAt: jobRuns.startedAt })
        .from(jobRuns)
        .where(eq(jobRuns.job, run.job))
        .orderBy(sql`${jobRuns.startedAt} desc`)
        .offset(kept - 1)
        .limit(1);
      if (cutoff) await tx.delete(jobRuns).where(and(eq(jobRuns.job, run.job), lt(jobRuns.startedAt, cutoff.startedAt)));
    });
  } catch (error) {
    logger.error({ job: run.job, ...loggableError(error) }, "job run not recorded");
  }
}
