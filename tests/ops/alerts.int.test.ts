import { randomUUID } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import * as listRoute from "@/app/api/internal/promo/alerts/route";
import * as retryRoute from "@/app/api/internal/promo/alerts/deliveries/[deliveryId]/retry/route";
import { db } from "@/db/client";
import { opsAlertDeliveries, opsAlerts, opsAudit } from "@/db/schema";
import { deliverDueAlerts } from "@/lib/alerts/deliver";
import type { AlertEvent } from "@/lib/alerts/policy";
import { raiseAlert } from "@/lib/alerts/raise";
import { settings } from "@/lib/env";
import { startAlertReceiver, type AlertReceiver } from "@/testing/alert-receivers";
import { call, sessionCookie, testUserId } from "@/testing/http";
import { overrideSettings, restoreSettings } from "@/testing/settings";

let generic: AlertReceiver;
let slack: AlertReceiver;

beforeAll(async () => {
  [generic, slack] = await Promise.all([startAlertReceiver(), startAlertReceiver()]);
});
afterAll(async () => {
  await Promise.all([generic.close(), slack.close()]);
});
beforeEach(() => {
  generic.reset();
  slack.reset();
  // Generic and Slack only: every event routes to both (PagerDuty is left unconfigured).
  overrideSettings({
    OPS_ALERT_WEBHOOK_URL: `${generic.url}/hook`,
    OPS_ALERT_SLACK_WEBHOOK_URL: `${slack.url}/services/T0/B0/tok`,
    OPS_ALERT_PAGERDUTY_ROUTING_KEY: undefined,
    OPS_ALERT_ESCALATION_POLICY_JSON: undefined,
    OPS_ALERT_MAX_ATTEMPTS: "1",
  });
});
afterEach(restoreSettings);

const internal = () => ({ token: settings("INTERNAL_API_TOKEN").INTERNAL_API_TOKEN! });
const ops = async () => ({ cookie: await sessionCookie({ uid: "ops-1", role: "ops" }) });
const list = async (query = "", who?: { token?: string; cookie?: string }) =>
  call(listRoute.GET, { path: `/api/internal/promo/alerts${query}`, ...(who ?? internal()) });
const retry = async (deliveryId: string, who: { token?: string; cookie?: string }, body?: unknown) =>
  call(retryRoute.POST, { method: "POST", path: `/api/internal/promo/alerts/deliveries/${deliveryId}/retry`, params: { deliveryId }, body, ...who });

async function raise(event: AlertEvent, key: string, businessId: string | null = null) {
  return (await raiseAlert(db, { event, dedupeKey: key, summary: `${event} ${key}`, details: { key }, businessId }))!;
}
const deliveryOf = async (alertId: string, channel: "generic" | "slack") =>
  (await db.select().from(opsAlertDeliveries).where(sql`${opsAlertDeliveries.alertId} = ${alertId} and ${opsAlertDeliveries.channel} = ${channel}`))[0]!;

describe("GET /api/internal/promo/alerts", () => {
  it("lists the outbox newest first with each delivery per channel, paginated and filtered", async () => {
    const business = randomUUID();
    const paused = await raise("promo_campaign_auto_paused", "guard:1", business);
    await db.update(opsAlerts).set({ createdAt: sql`now() - interval '2 hours'` }).where(eq(opsAlerts.id, paused));
    const diff = await raise("payments_reconciliation_diff_detected", "recon:1");
    const recovery = await raise("payments_recovery_review_required", "recovery:1", business);
    // Slack answers 500 once: with one attempt allowed, those deliveries end FAILED; generic is DELIVERED.
    slack.answer(() => ({ status: 500, body: "slack down" }));
    await deliverDueAlerts(db);

    const all = await list("", await ops());
    expect(all.status).toBe(200);
    expect(all.body).toMatchObject({ total: 3, limit: 50, offset: 0 });
    expect(all.body.data.map((a: { id: string }) => a.id)).toEqual([recovery, diff, paused]);
    const first = all.body.data[0];
    expect(first).toMatchObject({
      eventType: "payments_recovery_review_required",
      severity: "error",
      escalation: "ops_l1",
      summary: "payments_recovery_review_required recovery:1",
      dedupeKey: "recovery:1",
      details: { key: "recovery:1" },
      businessId: business,
      bookId: null,
    });
    expect(first.deliveries).toEqual([
      {
        id: expect.any(String),
        channel: "generic",
        status: "DELIVERED",
        attempts: 1,
        lastError: null,
        lastStatusCode: 200,
        nextAttemptAt: null,
        deliveredAt: expect.any(String),
        updatedAt: expect.any(String),
      },
      {
        id: expect.any(String),
        channel: "slack",
        status: "FAILED",
        attempts: 1,
        lastError: "HTTP 500: slack down",
        lastStatusCode: 500,
        nextAttemptAt: null,
        deliveredAt: null,
        updatedAt: expect.any(String),
      },
    ]);

    const ids = async (query: string) => ((await list(query)).body.data as { id: string }[]).map((a) => a.id);
    expect(await ids("?severity=critical")).toEqual([diff]);
    expect(await ids("?eventType=promo_campaign_auto_paused")).toEqual([paused]);
    expect(await ids(`?businessId=${business}`)).toEqual([recovery, paused]);
    expect(await ids(`?since=${encodeURIComponent(new Date(Date.now() - 3_600_000).toISOString())}`)).toEqual([recovery, diff]);
    expect(await ids("?deliveryStatus=FAILED")).toEqual([recovery, diff, paused]);
    expect(await ids("?deliveryStatus=PENDING")).toEqual([]);
    expect(await ids(`?deliveryStatus=FAILED&businessId=${business}&severity=warning`)).toEqual([paused]);

    const page = await list("?limit=1&offset=1");
    expect(page.body).toMatchObject({ total: 3, limit: 1, offset: 1 });
    expect(page.body.data.map((a: { id: string }) => a.id)).toEqual([diff]);

    // A PENDING delivery shows when it is tried next.
    const fresh = await raise("payments_recovery_review_required", "recovery:2");
    const pending = (await list("?deliveryStatus=PENDING")).body.data;
    expect(pending.map((a: { id: string }) => a.id)).toEqual([fresh]);
    expect(pending[0].deliveries.every((d: { status: string; nextAttemptAt: string | null }) => d.status === "PENDING" && d.nextAttemptAt !== null)).toBe(true);
  });

  it("refuses unknown filter values with 400, and clamps limit/offset like every list", async () => {
    for (const query of ["?severity=loud", "?eventType=nope", "?deliveryStatus=LOST", "?businessId=x", "?since=yesterday"]) {
      const res = await list(query);
      expect(res.status, query).toBe(400);
      expect(res.body.code).toBe("VALIDATION_ERROR");
    }
    expect((await list("?limit=0&offset=-5")).body).toMatchObject({ data: [], total: 0, limit: 1, offset: 0 });
  });
});

describe("POST /api/internal/promo/alerts/deliveries/:deliveryId/retry", () => {
  it("a FAILED delivery (receiver 500, one attempt allowed) is retried by ops against a receiver now answering 200: DELIVERED, audited", async () => {
    const alertId = await raise("payments_reconciliation_diff_detected", "recon:retry", randomUUID());
    generic.answer(() => ({ status: 500, body: "down" }));
    expect(await deliverDueAlerts(db)).toEqual({ delivered: 1, retried: 0, failed: 1 });
    const failed = await deliveryOf(alertId, "generic");
    expect(failed).toMatchObject({ status: "FAILED", attempts: 1, lastStatusCode: 500 });

    generic.answer(() => ({ status: 200, body: "ok" }));
    const res = await retry(failed.id, await ops(), { reason: "receiver fixed" });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      alertId,
      delivery: { id: failed.id, channel: "generic", status: "DELIVERED", attempts: 1, lastStatusCode: 200, lastError: null, nextAttemptAt: null, deliveredAt: expect.any(String) },
    });
    expect(generic.requests.map((r) => r.status)).toEqual([500, 200]);
    // The other channel, delivered the first time, is not sent again.
    expect(slack.requests).toHaveLength(1);

    const audit = await db.select().from(opsAudit);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      action: "RETRY_ALERT_DELIVERY",
      actor: `ops:${testUserId("ops-1")}`,
      targetType: "alert_delivery",
      targetId: failed.id,
      details: { alertId, channel: "generic", eventType: "payments_reconciliation_diff_detected", previousAttempts: 1, previousStatusCode: 500, previousError: "HTTP 500: down", reason: "receiver fixed" },
    });

    // Retrying it again: 409, nothing changes, nothing is sent, nothing is audited.
    const before = await deliveryOf(alertId, "generic");
    const again = await retry(failed.id, internal());
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ code: "INVALID_STATUS_TRANSITION", status: "DELIVERED", error: "Only a FAILED delivery can be retried; it is DELIVERED already" });
    expect(await deliveryOf(alertId, "generic")).toEqual(before);
    expect(generic.requests).toHaveLength(2);
    expect(await db.select().from(opsAudit)).toHaveLength(1);
  });

  it("a retry that fails again goes back to FAILED; attempts start over (a full cycle), so OPS_ALERT_MAX_ATTEMPTS=3 leaves it PENDING with a backoff", async () => {
    const alertId = await raise("payments_recovery_review_required", "recovery:again");
    generic.answer(() => ({ status: 503, body: "still down" }));
    await deliverDueAlerts(db);
    const failed = await deliveryOf(alertId, "generic");
    expect(failed.status).toBe("FAILED");

    const res = await retry(failed.id, internal(), {});
    expect(res.status).toBe(200);
    expect(res.body.delivery).toMatchObject({ status: "FAILED", attempts: 1, lastStatusCode: 503 });
    expect((await db.select().from(opsAudit))[0]).toMatchObject({ actor: "internal", details: { previousAttempts: 1 } });

    overrideSettings({ OPS_ALERT_MAX_ATTEMPTS: "3" });
    const third = await retry(failed.id, internal());
    expect(third.status).toBe(200);
    expect(third.body.delivery).toMatchObject({ status: "PENDING", attempts: 1, lastStatusCode: 503 });
    expect(new Date(third.body.delivery.nextAttemptAt).getTime()).toBeGreaterThan(Date.now() + 20_000);
  });

  it("a PENDING delivery answers 409 and changes nothing; an unknown one 404; a bad id 400", async () => {
    const alertId = await raise("promo_campaign_auto_paused", "guard:pending");
    const pending = await deliveryOf(alertId, "slack");
    const res = await retry(pending.id, await ops());
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ code: "INVALID_STATUS_TRANSITION", status: "PENDING", deliveryId: pending.id });
    expect(res.body.error).toContain("PENDING");
    expect(await deliveryOf(alertId, "slack")).toEqual(pending);
    expect(slack.requests).toHaveLength(0);
    expect(await db.select().from(opsAudit)).toEqual([]);

    const unknown = await retry(randomUUID(), internal());
    expect(unknown.status).toBe(404);
    expect(unknown.body.code).toBe("NOT_FOUND");
    expect((await retry("not-a-uuid", internal())).status).toBe(400);
  });

  it("concurrent retries of one FAILED delivery: one wins, the rest answer 409, one audit row, one successful send", async () => {
    const alertId = await raise("payments_recovery_review_required", "recovery:race");
    generic.answer((index) => ({ status: index === 0 ? 500 : 200 }));
    await deliverDueAlerts(db);
    const failed = await deliveryOf(alertId, "generic");
    const who = internal();
    const results = await Promise.all(Array.from({ length: 10 }, () => retry(failed.id, who)));
    expect(results.map((r) => r.status).sort()).toEqual([200, ...Array(9).fill(409)]);
    for (const loser of results.filter((r) => r.status === 409)) expect(["INVALID_STATUS_TRANSITION", "CONFLICT"]).toContain(loser.body.code);
    expect(await db.select().from(opsAudit)).toHaveLength(1);
    // The winner sends at once; under this load its claim may find the row held by a loser for an
    // instant, and then the alerts-deliver job sends it: either way, once, and DELIVERED.
    await deliverDueAlerts(db);
    expect(generic.requests.map((r) => r.status)).toEqual([500, 200]);
    expect((await deliveryOf(alertId, "generic")).status).toBe("DELIVERED");
  });
});
