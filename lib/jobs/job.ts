import type { Db } from "@/db/client";
import { logger } from "@/lib/log";
import { loggableError } from "@/lib/errors";
import { jobRunError, recordJobRun } from "./job-runs";

/** What a run did, in numbers an operator can read off one log line. */
export type JobSummary = Record<string, number | string | boolean | null>;

/**
 * A maintenance job (DESIGN §8): idempotent, bounded per run, its logic in lib/ so that the Inngest
 * cron function and `npm run job -- <name>` run the same code.
 */
export interface Job {
  name: string;
  description: string;
  run: (db: Db) => Promise<JobSummary>;
}

/**
 * Runs a job once, logs its one structured summary line and records the run in job_runs (the ops
 * jobs page): SUCCEEDED with its summary, or FAILED with its masked error, which is then rethrown.
 */
export async function runJob(job: Job, db: Db): Promise<JobSummary> {
  const startedAt = new Date();
  const started = performance.now();
  const finish = async (status: "SUCCEEDED" | "FAILED", summary: JobSummary | null, error: string | null) => {
    const durationMs = Math.round(performance.now() - started);
    await recordJobRun(db, { job: job.name, status, startedAt, finishedAt: new Date(), durationMs, summary, error });
    return durationMs;
  };
  let summary: JobSummary;
  try {
    summary = await job.run(db);
  } catch (error) {
    const durationMs = await finish("FAILED", null, jobRunError(error));
    logger.error({ job: job.name, durationMs, ...loggableError(error) }, "job failed");
    throw error;
  }
  const durationMs = await finish("SUCCEEDED", summary, null);
  logger.info({ job: job.name, durationMs, ...summary }, "job finished");
  return summary;
}

/** Repeats a batch until it comes back short or the run's batch budget is spent; returns the rows handled. */
export async function inBatches(maxBatches: number, batchSize: number, batch: (limit: number) => Promise<number>) {
  let total = 0;
  for (let index = 0; index < maxBatches; index++) {
    const handled = await batch(batchSize);
    total += handled;
    if (handled < batchSize) return { total, exhausted: false };
  }
  return { total, exhausted: true };
}
