import { db } from "@/db/client";
import { runJob } from "@/lib/jobs/job";
import { loadJob } from "@/lib/maintenance/registry";
import { inngest } from "@/lib/inngest";

/**
 * A cron function per maintenance job: one step that runs the job's lib/ code once, the same as
 * `npm run job -- <name>`. Jobs are idempotent, so Inngest's retry of a failed step is safe.
 */
export function maintenanceFunction(name: string, cron: string) {
  return inngest.createFunction({ id: name, triggers: [{ cron }], concurrency: { limit: 1 } }, async ({ step }) =>
    step.run(name, async () => {
      const job = await loadJob(name);
      if (!job) throw new Error(`Unknown job ${name}`);
      return runJob(job, db);
    }),
  );
}
