import type { Db } from "@/db/client";
import { logger } from "@/lib/log";
import { loggableError } from "@/lib/errors";

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

/** Runs a job once and logs its one structured summary line. */
export async function runJob(job: Job, db: Db): Promise<JobSummary> {
  const started = performance.now();
  try {
    const summary = await job.run(db);
    logger.info({ job: job.name, durationMs: Math.round(performance.now() - started), ...summary }, "job finished");
    return summary;
  } catch (error) {
    logger.error({ job: job.name, durationMs: Math.round(performance.now() - started), ...loggableError(error) }, "job failed");
    throw error;
  }
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
