import { InngestTestEngine } from "@inngest/test";
import { eq, sql } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { GET as inngestGet } from "@/app/api/inngest/route";
import { db } from "@/db/client";
import { backdateLocks } from "@/db/testing/backdate-locks";
import { couponBooks, promoAttemptHourly, promoAttempts } from "@/db/schema";
import { businessWithKey, genericBook } from "@/testing/fixtures";
import { cartOf, promoRedeem } from "@/testing/promo-api";
import { functions, MAINTENANCE_SCHEDULES } from "@/inngest/functions";
import { maintenanceFunction } from "@/inngest/functions/maintenance";
import { JOB_NAMES } from "@/lib/maintenance/registry";
import { overrideSettings, restoreSettings } from "@/testing/settings";

const cronOf = (name: keyof typeof MAINTENANCE_SCHEDULES) => maintenanceFunction(name, MAINTENANCE_SCHEDULES[name]);
const cronEvent = [{ name: "inngest/scheduled.timer", data: { cron: "* * * * *" } }] as [{ name: string; data: Record<string, unknown> }];

afterEach(restoreSettings);

describe("/api/inngest", () => {
  it("answers 503 with a clear message when Inngest is not configured, and serves Inngest once it is", async () => {
    overrideSettings({ INNGEST_SIGNING_KEY: undefined, INNGEST_DEV: undefined });
    const request = () => new Request("http://localhost/api/inngest") as Parameters<typeof inngestGet>[0];
    const unconfigured = await inngestGet(request(), {});
    expect(unconfigured.status).toBe(503);
    expect(await unconfigured.json()).toMatchObject({ code: "SERVICE_UNAVAILABLE" });

    overrideSettings({ INNGEST_DEV: "1", NODE_ENV: "production" });
    expect((await inngestGet(request(), {})).status).toBe(503);
    overrideSettings({ NODE_ENV: "test" });
    const served = await inngestGet(request(), {});
    expect(served.status).toBe(200);
    expect(await served.json()).toMatchObject({ function_count: functions.length });
  });
});

describe("Inngest functions", () => {
  it("every job has a cron function and every cron function a job", () => {
    expect(Object.keys(MAINTENANCE_SCHEDULES).sort()).toEqual([...JOB_NAMES].sort());
    const ids = functions.map((fn) => fn.id());
    for (const name of JOB_NAMES) expect(ids.some((id) => id.endsWith(name))).toBe(true);
  });

  const SUMMARY_OF_AN_IDLE_RUN: Record<keyof typeof MAINTENANCE_SCHEDULES, Record<string, unknown>> = {
    "reservation-expiry": { expired: 0, skipped: 0, moreLeft: false },
    "campaign-rollover": { expiredCampaigns: 0, moreLeft: false },
    "bruteforce-guard": { candidates: 0, paused: 0, alertsRaised: 0 },
    "refund-rollback": { purchases: 0, revoked: 0, failed: 0, moreLeft: false },
    reconciliation: { assignmentsChecked: 0, purchasesChecked: 0, assignmentDiffs: 0, purchaseDiffs: 0, alertsRaised: 0 },
    "alerts-deliver": { delivered: 0, retried: 0, failed: 0 },
    "code-generation": { found: 0, resumed: 0, succeeded: 0 },
    "attempt-rollup": { hours: 0, attempts: 0, moreLeft: false },
    "audit-rollup": { hours: 0, auditRows: 0, moreLeft: false },
  };

  it.each(Object.keys(MAINTENANCE_SCHEDULES) as (keyof typeof MAINTENANCE_SCHEDULES)[])("%s runs its job in one step and returns its summary", async (name) => {
    const { result, ctx } = await new InngestTestEngine({ function: cronOf(name), events: cronEvent }).execute();
    expect(ctx.step.run).toHaveBeenCalledWith(name, expect.any(Function));
    expect(result).toMatchObject(SUMMARY_OF_AN_IDLE_RUN[name]);
  });

  it("reservation-expiry: the function expires a lapsed reservation, and running it again changes nothing", async () => {
    const { businessId } = await businessWithKey();
    await genericBook(businessId, "TICK", { discountValue: 500 });
    expect((await promoRedeem({ userId: "ana", code: "TICK", checkoutId: "chk", cart: cartOf(businessId) })).body.result).toBe("ACCEPTED");
    expect(await backdateLocks(db, { businessId, checkoutId: "chk" })).toEqual({ locks: 1, reservations: 1 });

    const fn = cronOf("reservation-expiry");
    expect((await new InngestTestEngine({ function: fn, events: cronEvent }).execute()).result).toMatchObject({ expired: 1 });
    expect((await new InngestTestEngine({ function: fn, events: cronEvent }).execute()).result).toMatchObject({ expired: 0 });
  });

  it("attempt-rollup: the function rolls up a closed hour's attempts, and running it again rolls nothing", async () => {
    const { businessId } = await businessWithKey();
    await db.insert(promoAttempts).values(
      ["ACCEPTED", "INVALID", "ACCEPTED"].map((result) => ({
        businessId,
        normalizedCodeHash: "hash",
        codePrefix: "TICK",
        userId: "ana",
        result: result as "ACCEPTED" | "INVALID",
        reason: result === "ACCEPTED" ? "OK" : "UNKNOWN_CODE",
        attemptedAt: sql`now() - interval '3 hours'`,
      })),
    );
    const fn = cronOf("attempt-rollup");
    expect((await new InngestTestEngine({ function: fn, events: cronEvent }).execute()).result).toMatchObject({ hours: 1, attempts: 3, moreLeft: false });
    expect((await new InngestTestEngine({ function: fn, events: cronEvent }).execute()).result).toMatchObject({ hours: 0, attempts: 0 });
    const rows = await db.select({ result: promoAttemptHourly.result, attempts: promoAttemptHourly.attempts }).from(promoAttemptHourly).orderBy(promoAttemptHourly.result);
    expect(rows).toEqual([
      { result: "ACCEPTED", attempts: 2 },
      { result: "INVALID", attempts: 1 },
    ]);
  });

  it("campaign-rollover: the function expires a campaign past its date", async () => {
    const { businessId } = await businessWithKey();
    const book = await genericBook(businessId, "BYE", { expiresAt: new Date(Date.now() - 1000) });
    const { result } = await new InngestTestEngine({ function: cronOf("campaign-rollover"), events: cronEvent }).execute();
    expect(result).toMatchObject({ expiredCampaigns: 1 });
    const [after] = await db.select().from(couponBooks).where(eq(couponBooks.id, book.id));
    expect(after!.status).toBe("EXPIRED");
  });
});
