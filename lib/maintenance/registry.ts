import type { Job } from "@/lib/jobs/job";

/**
 * Every maintenance job by name (`npm run job -- <name>`, the Inngest cron functions). Jobs are
 * loaded on demand so that one job's module (and the settings it reads) never loads for another.
 */
const JOB_LOADERS = {
  "reservation-expiry": async () => (await import("@/lib/maintenance/reservation-expiry")).reservationExpiryJob,
  "campaign-rollover": async () => (await import("@/lib/maintenance/campaign-rollover")).campaignRolloverJob,
  "bruteforce-guard": async () => (await import("@/lib/maintenance/bruteforce-guard")).bruteforceGuardJob,
  reconciliation: async () => (await import("@/lib/maintenance/reconciliation")).reconciliationJob,
  "alerts-deliver": async () => (await import("@/lib/alerts/alerts-deliver-job")).alertsDeliverJob,
  "code-generation": async () => (await import("@/lib/maintenance/code-generation")).codeGenerationJob,
  "refund-rollback": async () => (await import("@/lib/refunds/refund-rollback-job")).refundRollbackJob,
  "attempt-rollup": async () => (await import("@/lib/maintenance/hourly-rollups")).attemptRollupJob,
  "audit-rollup": async () => (await import("@/lib/maintenance/hourly-rollups")).auditRollupJob,
} as const satisfies Record<string, () => Promise<Job>>;

/** A maintenance job's name: a name that is not in JOB_LOADERS does not compile. */
export type JobName = keyof typeof JOB_LOADERS;

export const JOB_NAMES = Object.keys(JOB_LOADERS) as JobName[];

/** For names from outside the program (argv): narrows a string to a JobName. */
export const isJobName = (name: string): name is JobName => Object.hasOwn(JOB_LOADERS, name);

export async function loadJob(name: JobName): Promise<Job> {
  return JOB_LOADERS[name]();
}
