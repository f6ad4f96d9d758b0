import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { asc, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "@/db/client";
import { jobRuns } from "@/db/schema";
import { runJob, type Job } from "@/lib/jobs/job";
import { JOB_RUNS_KEPT, jobRunError, recordJobRun } from "@/lib/jobs/job-runs";
import { listJobHealth } from "@/lib/maintenance/job-health";
import { JOB_NAMES } from "@/lib/maintenance/registry";

const exec = promisify(execFile);
const runsOf = (job: string) => db.select().from(jobRuns).where(eq(jobRuns.job, job)).orderBy(asc(jobRuns.startedAt));

describe("job_runs: runJob records every run", () => {
  it("`npm run job -- campaign-rollover` (its own process) leaves one SUCCEEDED row with the summary", async () => {
    await exec("node_modules/.bin/tsx", ["scripts/job.ts", "campaign-rollover"], { env: { ...process.env, NODE_ENV: "development" }, timeout: 60_000 });
    const [run, ...more] = await runsOf("campaign-rollover");
    expect(more).toEqual([]);
    expect(run).toMatchObject({ status: "SUCCEEDED", error: null, summary: { expiredCampaigns: 0 } });
    expect(run!.finishedAt.getTime()).toBeGreaterThanOrEqual(run!.startedAt.getTime());
    expect(run!.durationMs).toBeGreaterThanOrEqual(0);
  }, 60_000);

  it("a failing job leaves a FAILED row with its message, rethrows, and the message carries no secret, code or SQL", async () => {
    const boom: Job = {
      name: "reconciliation",
      description: "fails",
      run: async () => {
        throw new Error(`code "SUMMER-X7K2" refused by https://hooks.slack.test/services/T0/B0/secret-token`);
      },
    };
    await expect(runJob(boom, db)).rejects.toThrow("SUMMER-X7K2");
    const [run] = await runsOf("reconciliation");
    expect(run).toMatchObject({ status: "FAILED", summary: null });
    expect(run!.error).toBe('Error: code "…" refused by [url]');

    // A failed query: drizzle's message holds the SQL and its parameters; the row keeps only the code.
    const query: Job = { name: "refund-rollback", description: "bad query", run: async () => (await db.execute(sql`select 1 / ${0}::int as x, ${"SECRET-CODE"} as c`), {}) };
    await expect(runJob(query, db)).rejects.toThrow();
    const [failed] = await runsOf("refund-rollback");
    expect(failed!.error).toMatch(/^\w+ \(22012\): /);
    expect(failed!.error).not.toContain("SECRET-CODE");
    expect(failed!.error).not.toContain("select");
  });

  it("keeps the newest JOB_RUNS_KEPT runs per job, pruned in the write, and leaves other jobs' runs alone", async () => {
    const base = Date.now() - 1_000_000;
    const row = (job: string, i: number) => ({
      job,
      status: "SUCCEEDED" as const,
      startedAt: new Date(base + i * 1000),
      finishedAt: new Date(base + i * 1000 + 5),
      durationMs: 5,
      summary: { i },
      error: null,
    });
    for (let i = 0; i < 5; i++) await recordJobRun(db, row("bruteforce-guard", i), 3);
    await recordJobRun(db, row("campaign-rollover", 0), 3);
    expect((await runsOf("bruteforce-guard")).map((r) => r.summary)).toEqual([{ i: 2 }, { i: 3 }, { i: 4 }]);
    expect(await runsOf("campaign-rollover")).toHaveLength(1);

    // The default bound, through runJob itself.
    await db.insert(jobRuns).values(Array.from({ length: JOB_RUNS_KEPT }, (_, i) => row("alerts-deliver", i)));
    const noop: Job = { name: "alerts-deliver", description: "noop", run: async () => ({ delivered: 0 }) };
    await runJob(noop, db);
    const kept = await runsOf("alerts-deliver");
    expect(kept).toHaveLength(JOB_RUNS_KEPT);
    expect(kept[0]!.summary).toEqual({ i: 1 });
    expect(kept.at(-1)!.summary).toEqual({ delivered: 0 });
  });

  it("jobRunError masks what a message quotes and any URL", () => {
    expect(jobRunError(new Error("invalid 'VIP-0001' at postgres://u:pw@db/x"))).toBe("Error: invalid '…' at [url]");
    expect(jobRunError("a string")).toBe("string: failed");
  });
});

describe("listJobHealth", () => {
  it("lists every job with its newest runs first, and reads a job that stopped running as late", async () => {
    const now = new Date("2026-12-01T12:00:00Z");
    const at = (minutesAgo: number) => new Date(now.getTime() - minutesAgo * 60_000);
    const run = (job: string, minutesAgo: number, status: "SUCCEEDED" | "FAILED" = "SUCCEEDED") => ({
      job,
      status,
      startedAt: at(minutesAgo),
      finishedAt: at(minutesAgo),
      durationMs: 12,
      summary: status === "SUCCEEDED" ? { minutesAgo } : null,
      error: status === "FAILED" ? "Error: boom" : null,
    });
    await db.insert(jobRuns).values([
      // Every minute, last ran 1 min ago: on schedule.
      ...Array.from({ length: 15 }, (_, i) => run("reservation-expiry", i + 1)),
      // Every minute, but its last run was 3 h ago: the scheduler stopped.
      run("bruteforce-guard", 180),
      run("bruteforce-guard", 181, "FAILED"),
      // Every 10 minutes, last ran 11 min ago: within interval + grace.
      run("campaign-rollover", 11),
      // Every 30 minutes, last (failed) run 40 min ago: late by 10 min.
      run("reconciliation", 40, "FAILED"),
      // Not a job: ignored.
      run("retired-job", 1),
    ]);

    const health = await listJobHealth(db, { now, runsPerJob: 10 });
    expect(health.map((h) => h.job)).toEqual(JOB_NAMES);
    const of = (job: string) => health.find((h) => h.job === job)!;

    const expiry = of("reservation-expiry");
    expect(expiry).toMatchObject({ state: "OK", schedule: "* * * * *", intervalMs: 60_000, lateByMs: 0, lastStatus: "SUCCEEDED", note: "on schedule" });
    expect(expiry.runs).toHaveLength(10);
    expect(expiry.runs.map((r) => r.summary)).toEqual(Array.from({ length: 10 }, (_, i) => ({ minutesAgo: i + 1 })));
    expect(expiry.lastRunAt).toEqual(at(1));

    const guard = of("bruteforce-guard");
    expect(guard).toMatchObject({ state: "LATE", lateByMs: 179 * 60_000, note: "late by 2 h 59 min", lastStatus: "SUCCEEDED" });
    expect(guard.nextRunDueAt).toEqual(at(179));
    expect(guard.runs.map((r) => r.status)).toEqual(["SUCCEEDED", "FAILED"]);
    expect(guard.runs[1]!.error).toBe("Error: boom");

    expect(of("campaign-rollover")).toMatchObject({ state: "OK", lateByMs: 0 });
    expect(of("reconciliation")).toMatchObject({ state: "LATE", lateByMs: 10 * 60_000, note: "late by 10 min", lastStatus: "FAILED" });
    expect(of("code-generation")).toMatchObject({ state: "NEVER_RAN", runs: [], lastRunAt: null, note: "never ran" });
  });
});
