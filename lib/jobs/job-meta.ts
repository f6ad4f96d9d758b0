import type { RequestMeta } from "@/lib/request-meta";
import { settings } from "@/lib/env";

/** Audit rows written by a job carry no client ip; the user agent names the job. */
export const jobMeta = (job: string): RequestMeta => ({ ip: null, userAgent: `job:${job}` });

/** The batch bounds every job shares (JOB_BATCH_SIZE rows a batch, at most JOB_MAX_BATCHES a run). */
export const jobBatches = () => {
  const { JOB_BATCH_SIZE, JOB_MAX_BATCHES } = settings("JOB_BATCH_SIZE", "JOB_MAX_BATCHES");
  return { batchSize: JOB_BATCH_SIZE, maxBatches: JOB_MAX_BATCHES };
};
