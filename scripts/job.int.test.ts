import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "@/db/client";
import { couponBooks } from "@/db/schema";
import { businessWithKey, genericBook } from "@/testing/fixtures";

const exec = promisify(execFile);

/** `npm run job -- <name>` as a container's cron runs it: its own process, exit code and one summary line. */
async function job(name: string, env: Record<string, string> = {}) {
  try {
    const { stdout, stderr } = await exec("node_modules/.bin/tsx", ["scripts/job.ts", name], {
      env: { ...process.env, NODE_ENV: "development", LOG_LEVEL: "info", ...env },
      timeout: 60_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

const summaryOf = (stdout: string) =>
  stdout
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line))
    .find((line) => line.msg === "job finished");

describe("npm run job", () => {
  it.each(["reservation-expiry", "campaign-rollover", "bruteforce-guard", "reconciliation", "refund-rollback", "alerts-deliver", "attempt-rollup", "audit-rollup"])(
    "%s runs once, logs one summary line and exits 0",
    async (name) => {
      const result = await job(name);
      expect(result.code).toBe(0);
      expect(summaryOf(result.stdout)).toMatchObject({ job: name, durationMs: expect.any(Number) });
    },
    60_000,
  );

  it("does the job's work: campaign-rollover expires a campaign past its date, then finds nothing", async () => {
    const { businessId } = await businessWithKey();
    const book = await genericBook(businessId, "GONE", { expiresAt: new Date(Date.now() - 1000) });
    expect(summaryOf((await job("campaign-rollover")).stdout)).toMatchObject({ expiredCampaigns: 1 });
    expect(summaryOf((await job("campaign-rollover")).stdout)).toMatchObject({ expiredCampaigns: 0 });
    const [row] = await db.select().from(couponBooks).where(eq(couponBooks.id, book.id));
    expect(row!.status).toBe("EXPIRED");
  }, 60_000);

  it("checks only the settings the job reads: a bad unrelated one does not stop it, a bad one of its own does", async () => {
    const unrelated = await job("campaign-rollover", { RATE_LIMIT_TIMEOUT_MS: "soon", OPS_ALERT_WEBHOOK_URL: "not-a-url" });
    expect(unrelated.code).toBe(0);
    const own = await job("campaign-rollover", { JOB_BATCH_SIZE: "lots" });
    expect(own.code).toBe(1);
    expect(own.stderr).toContain("JOB_BATCH_SIZE");
  }, 60_000);

  it("an unknown job is a usage error listing the jobs", async () => {
    const result = await job("sweep-everything");
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("Unknown job: sweep-everything");
    expect(result.stderr).toContain("reservation-expiry");
  }, 60_000);
});
