import type { Metadata } from "next";
import { connection } from "next/server";
import { JobCard } from "@/components/ops/job-card";
import { Alert } from "@/components/ui/alert";
import { PageHeader } from "@/components/ui/page-header";
import { db } from "@/db/client";
import { JOB_LATE_GRACE_MS, listJobHealth, type JobHealth } from "@/lib/maintenance/job-health";
import { loadJob } from "@/lib/maintenance/registry";
import { opsPageActor } from "@/app/ops/page-context";

export const metadata: Metadata = { title: "Jobs" };

/** Runs shown per job: enough to see a pattern (every run failing, a gap) without a wall of rows. */
const RUNS_PER_JOB = 5;

/** What needs a look comes first: late jobs, then jobs whose last run failed; otherwise the registry's order. */
const urgency = (health: JobHealth) => (health.state === "LATE" ? 0 : health.lastStatus === "FAILED" ? 1 : 2);

/**
 * The maintenance jobs for people on call (issue 13): each job's schedule, its newest runs from
 * job_runs (written by runJob for Inngest and `npm run job` alike) with summaries and errors, and how
 * late its next run is, so a job that stopped running shows before anyone asks.
 */
export default async function JobsPage() {
  await connection();
  await opsPageActor("/ops/jobs");
  const jobs = await listJobHealth(db, { runsPerJob: RUNS_PER_JOB });
  // Descriptions come from the jobs themselves, so they cannot drift from what runs.
  const descriptions = new Map(await Promise.all(jobs.map(async (health) => [health.job, (await loadJob(health.job)).description] as const)));
  const sorted = jobs.map((health, index) => ({ health, index })).sort((a, b) => urgency(a.health) - urgency(b.health) || a.index - b.index);

  const late = jobs.filter((health) => health.state === "LATE");
  const failed = jobs.filter((health) => health.lastStatus === "FAILED");
  const neverRan = jobs.filter((health) => health.state === "NEVER_RAN");
  const graceMinutes = Math.round(JOB_LATE_GRACE_MS / 60_000);

  return (
    <>
      <PageHeader
        title="Jobs"
        description={`${jobs.length} maintenance jobs · ${late.length} late · ${failed.length} with a failed last run · ${neverRan.length} never ran. A job is late once its last run is older than its interval plus ${graceMinutes} minutes.`}
      />
      {late.length > 0 ? (
        <Alert className="mb-6">
          <p className="font-medium">
            {late.length === 1 ? "1 job is late" : `${late.length} jobs are late`}: {late.map((health) => `${health.job} (${health.note})`).join(", ")}.
          </p>
          <p>Check that the scheduler (Inngest, or the cron running npm run job) is up.</p>
        </Alert>
      ) : null}
      <ul className="grid gap-4" aria-label="Maintenance jobs">
        {sorted.map(({ health }) => (
          <li key={health.job}>
            <JobCard health={health} description={capitalize(descriptions.get(health.job) ?? "")} />
          </li>
        ))}
      </ul>
    </>
  );
}

const capitalize = (text: string) => (text ? text[0]!.toUpperCase() + text.slice(1) : text);
