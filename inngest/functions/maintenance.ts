import { db } from "@/db/client";
import { runJob } from "@/lib/jobs/job";
import { loadJob, type JobName } from "@/lib/maintenance/registry";
import { inngest } from "@/lib/inngest";

/**
 * A cron function per maintenance job: one step that runs the job's lib/ code once, the same as
 * `npm run job -- <name>`. Jobs are idempotent, so Inngest's retry of a failed step is safe.
 */
export function maintenanceFunction(name: JobName, cron: string) {
  return inngest.createFunction({ id: name, triggers: [{ cron }], concurrency: { limit: 1 } }, async ({ step }) =>
    step.run(name, async () => {
      return runJob(await loadJob(name), db);
    }),
  );
}
