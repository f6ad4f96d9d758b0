import { resumeOrphanedRuns } from "@/lib/coupons/generation-runs";
import type { Job } from "@/lib/jobs/job";

/** Runs per job run: each may take up to ~35 s (a million codes), and a cron run should end before the next. */
const RUNS_PER_JOB = 2;

/**
 * Finishes background code generations whose worker is gone (a server restart or a function
 * timeout mid-run). A poll of the run from the console resumes it too; this catches the ones nobody
 * watches. Resuming is exact: each chunk reads what is left under the run's row lock.
 */
export const codeGenerationJob: Job = {
  name: "code-generation",
  description: "Resume background code generations whose worker stopped",
  run: (db) => resumeOrphanedRuns(db, RUNS_PER_JOB),
};
