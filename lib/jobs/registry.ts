import type { Job } from "./job";

/**
 * Every maintenance job by name (`npm run job -- <name>`, the Inngest cron functions). Jobs are
 * loaded on demand so that one job's module (and the settings it reads) never loads for another.
 */
export const JOB_LOADERS: Record<string, () => Promise<Job>> = {
};

export const JOB_NAMES = Object.keys(JOB_LOADERS);

export async function loadJob(name: string): Promise<Job | undefined> {
  return Object.hasOwn(JOB_LOADERS, name) ? JOB_LOADERS[name]!() : undefined;
}
