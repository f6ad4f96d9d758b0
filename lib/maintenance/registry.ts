import type { Job } from "@/lib/jobs/job";

/**
 * Every maintenance job by name (`npm run job -- <name>`, the Inngest cron functions). Jobs are
 * loaded on demand so that one job's module (and the settings it reads) never loads for another.
 */
export const JOB_LOADERS: Record<string, () => Promise<Job>> = {
  "reservation-expiry": async () => (await import("@/lib/maintenance/reservation-expiry")).reservationExpiryJob,
  "campaign-rollover": async () => (await import("@/lib/maintenance/campaign-rollover")).campaignRolloverJob,
  "bruteforce-guard": async () => (await import("@/lib/maintenance/bruteforce-guard")).bruteforceGuardJob,
  reconciliation: async () => (await import("@/lib/maintenance/reconciliation")).reconciliationJob,
  "alerts-deliver": async () => (await import("@/lib/alerts/alerts-deliver-job")).alertsDeliverJob,
  "refund-rollback": async () => (await import("@/lib/refunds/refund-rollback-job")).refundRollbackJob,
};

export const JOB_NAMES = Object.keys(JOB_LOADERS);

export async function loadJob(name: string): Promise<Job | undefined> {
  return Object.hasOwn(JOB_LOADERS, name) ? JOB_LOADERS[name]!() : undefined;
}
