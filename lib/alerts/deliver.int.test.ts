import { randomUUID } from "node:crypto";
import { asc, eq, sql } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { db } from "@/db/client";
import { opsAlertDeliveries, opsAlerts } from "@/db/schema";
import { startAlertReceiver, type AlertReceiver } from "@/testing/alert-receivers";
import { deliverDueAlerts, retryDelayMs } from "./deliver";
import type { AlertEvent } from "./policy";
import { raiseAlert } from "./raise";
import { overrideSettings, restoreSettings } from "@/testing/settings";

let generic: AlertReceiver;
let slack: AlertReceiver;
let pagerduty: AlertReceiver;
// Secrets live in these settings the way they do in production (token in the URL, routing key).
const SLACK_PATH = "/services/T000/B000/slack-secret-token";
const WEBHOOK_PATH = "/hooks/ops?token=generic-secret-token";
const ROUTING_KEY = "R0UTINGKEY0123456789abcdefghijkl";

beforeAll(async () => {
  [generic, slack, pagerduty] = await Promise.all([startAlertReceiver(), startAlertReceiver(), startAlertReceiver()]);
});

afterAll(async () => {
  await Promise.all([generic.close(), slack.close(), pagerduty.close()]);
});

beforeEach(() => {
  for (const receiver of [generic, slack, pagerduty]) receiver.reset();
  overrideSettings({
    OPS_ALERT_WEBHOOK_URL: `${generic.url}${WEBHOOK_PATH}`,
    OPS_ALERT_SLACK_WEBHOOK_URL: `${slack.url}${SLACK_PATH}`,
    OPS_ALERT_PAGERDUTY_EVENTS_URL: `${pagerduty.url}/v2/enqueue`,
    OPS_ALERT_PAGERDUTY_ROUTING_KEY: ROUTING_KEY,
    OPS_ALERT_ESCALATION_POLICY_JSON: undefined,
  });
});

afterEach(restoreSettings);

async function raise(event: AlertEvent, dedupeKey: string, summary = `${event} for ${dedupeKey}`) {
  return raiseAlert(db, { event, dedupeKey, summary, details: { dedupeKey, diff: 2 }, businessId: randomUUID(), bookId: randomUUID() });
}

const deliveries = () => db.select().from(opsAlertDeliveries).orderBy(asc(opsAlertDeliveries.createdAt));
const deliveryOf = async (alertId: string, channel: "generic" | "slack" | "pagerduty") =>
  (await db.select().from(opsAlertDeliveries).where(sql`${opsAlertDeliveries.alertId} = ${alertId} and ${opsAlertDeliveries.channel} = ${channel}`))[0]!;
/** Stands in for the passing of time: every PENDING delivery (retries, lapsed claims) is due now. */
const makeDue = () => db.update(opsAlertDeliveries).set({ nextAttemptAt: sql`now()` }).where(eq(opsAlertDeliveries.status, "PENDING"));
const secondsUntilNextAttempt = async (id: string) =>
  Number((await db.execute<{ s: string }>(sql`select extract(epoch from next_attempt_at - now()) as s from ops_alert_deliveries where id = ${id}`))[0]!.s);

describe("deliverDueAlerts: channel payloads", () => {
  it("sends each routed channel its provider's body and marks the deliveries DELIVERED", async () => {
    const alertId = (await raise("payments_reconciliation_diff_detected", "reconciliation:assignment:42", "Assignment 42: redeem_count 3 ≠ 1 applied <check>"))!;
    const [alert] = await db.select().from(opsAlerts).where(eq(opsAlerts.id, alertId));

    expect(await deliverDueAlerts(db)).toEqual({ delivered: 3, retried: 0, failed: 0 });

    expect(generic.requests).toHaveLength(1);
    expect(generic.requests[0]!.path).toBe(WEBHOOK_PATH);
    expect(generic.requests[0]!.headers["idempotency-key"]).toBe(`${alertId}:generic`);
    expect(generic.requests[0]!.headers["content-type"]).toBe("application/json");
    expect(generic.requests[0]!.body).toEqual({
      alertId,
      event: "payments_reconciliation_diff_detected",
      severity: "critical",
      escalation: "ops_l1",
      summary: "Assignment 42: redeem_count 3 ≠ 1 applied <check>",
      dedupeKey: "reconciliation:assignment:42",
      details: { dedupeKey: "reconciliation:assignment:42", diff: 2 },
      businessId: alert!.businessId,
      bookId: alert!.bookId,
      raisedAt: alert!.createdAt.toISOString(),
    });

    expect(slack.requests).toHaveLength(1);
    expect(slack.requests[0]!.path).toBe(SLACK_PATH);
    const slackBody = slack.requests[0]!.body;
    expect(Object.keys(slackBody).sort()).toEqual(["blocks", "text"]);
    expect(slackBody.text).toBe("[CRITICAL] ops_l1 · payments_reconciliation_diff_detected: Assignment 42: redeem_count 3 ≠ 1 applied &lt;check&gt;");
    const blocksText = JSON.stringify(slackBody.blocks);
    for (const shown of ["CRITICAL", "ops_l1", "redeem_count 3 ≠ 1 applied &lt;check&gt;", alertId]) expect(blocksText).toContain(shown);
    expect(slackBody.blocks[0]).toMatchObject({ type: "header", text: { type: "plain_text" } });

    expect(pagerduty.requests).toHaveLength(1);
    expect(pagerduty.requests[0]!.path).toBe("/v2/enqueue");
    expect(pagerduty.requests[0]!.body).toEqual({
      routing_key: ROUTING_KEY,
      event_action: "trigger",
      dedup_key: "reconciliation:assignment:42",
      payload: {
        summary: "Assignment 42: redeem_count 3 ≠ 1 applied <check>",
        severity: "critical",
        source: "coupon-platform",
        timestamp: alert!.createdAt.toISOString(),
        component: "payments_reconciliation_diff_detected",
        group: "ops_l1",
        class: "payments_reconciliation_diff_detected",
        custom_details: {
          alertId,
          escalation: "ops_l1",
          dedupeKey: "reconciliation:assignment:42",
          businessId: alert!.businessId,
          bookId: alert!.bookId,
          details: { dedupeKey: "reconciliation:assignment:42", diff: 2 },
        },
      },
    });

    const rows = await deliveries();
    expect(rows).toHaveLength(3);
    for (const row of rows) {
      expect(row).toMatchObject({ status: "DELIVERED", attempts: 1, lastStatusCode: 200, lastError: null });
      expect(row.deliveredAt).toBeInstanceOf(Date);
    }
    expect(await deliverDueAlerts(db)).toEqual({ delivered: 0, retried: 0, failed: 0 });
    expect(generic.requests.length + slack.requests.length + pagerduty.requests.length).toBe(3);
  });

  it("routes by event: an auto-pause goes to Slack and the webhook only; severities map onto PagerDuty's", async () => {
    const paused = (await raise("promo_campaign_auto_paused", "guard:book:1"))!;
    const review = (await raise("payments_recovery_review_required", "recovery:order-7"))!;
    expect((await deliveries()).filter((row) => row.alertId === paused).map((row) => row.channel).sort()).toEqual(["generic", "slack"]);

    expect(await deliverDueAlerts(db)).toEqual({ delivered: 5, retried: 0, failed: 0 });
    expect(pagerduty.requests.map((request) => request.body.payload.severity)).toEqual(["error"]);
    expect(pagerduty.requests[0]!.body.dedup_key).toBe("recovery:order-7");
    expect(slack.accepted().map((body) => body.text.split(" ")[0]).sort()).toEqual(["[ERROR]", "[WARNING]"]);
    expect(generic.accepted().find((body) => body.alertId === paused)).toMatchObject({ severity: "warning", escalation: "ops_l2" });
    expect(generic.accepted().find((body) => body.alertId === review)).toMatchObject({ severity: "error", escalation: "ops_l1" });
  });

  it("raises an alert once per dedupe key, and delivers it once", async () => {
    const first = await raise("promo_campaign_auto_paused", "guard:book:9:paused-at:1");
    const again = await raise("promo_campaign_auto_paused", "guard:book:9:paused-at:1", "another summary");
    expect(first).not.toBeNull();
    expect(again).toBeNull();
    expect(await db.select().from(opsAlerts)).toHaveLength(1);
    expect(await deliveries()).toHaveLength(2);

    await deliverDueAlerts(db);
    expect(slack.accepted()).toHaveLength(1);
    expect(generic.accepted().map((body) => body.summary)).toEqual(["promo_campaign_auto_paused for guard:book:9:paused-at:1"]);
  });

  it("marks a delivery FAILED, saying why, when its channel's setting vanished after the alert was raised", async () => {
    const alertId = (await raise("payments_recovery_review_required", "recovery:order-8"))!;
    overrideSettings({ OPS_ALERT_SLACK_WEBHOOK_URL: undefined, OPS_ALERT_PAGERDUTY_ROUTING_KEY: undefined });

    expect(await deliverDueAlerts(db)).toEqual({ delivered: 1, retried: 0, failed: 2 });
    expect(await deliveryOf(alertId, "slack")).toMatchObject({
      status: "FAILED",
      attempts: 0,
      lastError: "OPS_ALERT_SLACK_WEBHOOK_URL is no longer set; the alert cannot be delivered to slack",
    });
    expect(await deliveryOf(alertId, "pagerduty")).toMatchObject({ status: "FAILED", lastError: expect.stringContaining("OPS_ALERT_PAGERDUTY_ROUTING_KEY") });
    expect(await deliveryOf(alertId, "generic")).toMatchObject({ status: "DELIVERED" });
    expect(slack.requests.length + pagerduty.requests.length).toBe(0);
  });

  it("delivers only the alerts asked for, and no more deliveries than the limit", async () => {
    const mine = (await raise("promo_campaign_auto_paused", "guard:book:mine"))!;
    const other = (await raise("promo_campaign_auto_paused", "guard:book:other"))!;

    expect(await deliverDueAlerts(db, { alertIds: [mine] })).toEqual({ delivered: 2, retried: 0, failed: 0 });
    expect(generic.accepted().map((body) => body.alertId)).toEqual([mine]);
    expect((await deliveries()).filter((row) => row.alertId === other).map((row) => row.status)).toEqual(["PENDING", "PENDING"]);
    expect(await deliverDueAlerts(db, { alertIds: [] })).toEqual({ delivered: 0, retried: 0, failed: 0 });

    expect(await deliverDueAlerts(db, { limit: 1 })).toEqual({ delivered: 1, retried: 0, failed: 0 });
    expect(await deliverDueAlerts(db)).toEqual({ delivered: 1, retried: 0, failed: 0 });
    expect(generic.accepted().length + slack.accepted().length).toBe(4);
  });
});

describe("deliverDueAlerts: retries", () => {
  it("retries a channel that answers 500 with backoff until it takes the alert; the other channels are not sent twice", async () => {
    slack.answer((index) => (index < 2 ? { status: 500, body: "no_service; see https://status.example.com/incident?token=abc" } : { status: 200, body: "ok" }));
    const alertId = (await raise("payments_reconciliation_diff_detected", "reconciliation:assignment:7"))!;

    expect(await deliverDueAlerts(db)).toEqual({ delivered: 2, retried: 1, failed: 0 });
    const afterFirst = await deliveryOf(alertId, "slack");
    expect(afterFirst).toMatchObject({ status: "PENDING", attempts: 1, lastStatusCode: 500, lastError: "HTTP 500: no_service; see [url]" });
    expect(await secondsUntilNextAttempt(afterFirst.id)).toBeCloseTo(30, -1);
    // Not due yet: a run now sends nothing.
    expect(await deliverDueAlerts(db)).toEqual({ delivered: 0, retried: 0, failed: 0 });

    await makeDue();
    expect(await deliverDueAlerts(db)).toEqual({ delivered: 0, retried: 1, failed: 0 });
    expect(await deliveryOf(alertId, "slack")).toMatchObject({ attempts: 2, lastStatusCode: 500 });
    expect(await secondsUntilNextAttempt(afterFirst.id)).toBeCloseTo(60, -1);

    await makeDue();
    expect(await deliverDueAlerts(db)).toEqual({ delivered: 1, retried: 0, failed: 0 });
    expect(await deliveryOf(alertId, "slack")).toMatchObject({ status: "DELIVERED", attempts: 3, lastStatusCode: 200, lastError: null });

    expect(slack.requests.map((request) => request.status)).toEqual([500, 500, 200]);
    for (const receiver of [generic, slack, pagerduty]) expect(receiver.accepted()).toHaveLength(1);
  });

  it("backs off exponentially from 30 s, capped at one hour", () => {
    expect([1, 2, 3, 4, 7, 8, 20].map(retryDelayMs)).toEqual([30_000, 60_000, 120_000, 240_000, 1_920_000, 3_600_000, 3_600_000]);
  });

  it("marks a delivery FAILED once OPS_ALERT_MAX_ATTEMPTS are spent, and sends it no more", async () => {
    overrideSettings({ OPS_ALERT_MAX_ATTEMPTS: "3" });
    generic.answer(() => ({ status: 503, body: "down" }));
    const alertId = (await raise("promo_campaign_auto_paused", "guard:book:3"))!;

    expect(await deliverDueAlerts(db)).toEqual({ delivered: 1, retried: 1, failed: 0 });
    await makeDue();
    expect(await deliverDueAlerts(db)).toEqual({ delivered: 0, retried: 1, failed: 0 });
    await makeDue();
    expect(await deliverDueAlerts(db)).toEqual({ delivered: 0, retried: 0, failed: 1 });
    expect(await deliveryOf(alertId, "generic")).toMatchObject({ status: "FAILED", attempts: 3, lastStatusCode: 503, lastError: "HTTP 503: down", deliveredAt: null });

    await makeDue();
    expect(await deliverDueAlerts(db)).toEqual({ delivered: 0, retried: 0, failed: 0 });
    expect(generic.requests).toHaveLength(3);
  });

  it("records timeouts and refused connections briefly, without the URL or its token", async () => {
    overrideSettings({ OPS_ALERT_TIMEOUT_MS: "100" });
    slack.answer(() => ({ status: 200, delayMs: 1_000 }));
    const closed = await startAlertReceiver();
    await closed.close();
    overrideSettings({ OPS_ALERT_WEBHOOK_URL: `${closed.url}${WEBHOOK_PATH}` });
    const alertId = (await raise("promo_campaign_auto_paused", "guard:book:4"))!;

    expect(await deliverDueAlerts(db)).toEqual({ delivered: 0, retried: 2, failed: 0 });
    expect(await deliveryOf(alertId, "slack")).toMatchObject({ lastError: "timed out after 100 ms", lastStatusCode: null, attempts: 1 });
    expect(await deliveryOf(alertId, "generic")).toMatchObject({ lastError: "network error: ECONNREFUSED", lastStatusCode: null, attempts: 1 });
  });
});

describe("deliverDueAlerts: concurrent runners", () => {
  it("three runners at once send each delivery once, through failures and retries, and lose none", async () => {
    overrideSettings({ JOB_BATCH_SIZE: "4" });
    // Slow answers keep every runner's sends in flight while the others claim.
    for (const receiver of [slack, pagerduty]) receiver.answer(() => ({ status: 200, delayMs: 20 }));
    generic.answer((index) => (index % 3 === 0 ? { status: 500, delayMs: 20 } : { status: 200, delayMs: 20 }));
    const alertIds: string[] = [];
    for (let index = 0; index < 15; index++) alertIds.push((await raise("payments_reconciliation_diff_detected", `reconciliation:assignment:${index}`))!);

    const totals = { delivered: 0, retried: 0, failed: 0 };
    for (let round = 0; round < 10; round++) {
      const runs = await Promise.all([deliverDueAlerts(db), deliverDueAlerts(db), deliverDueAlerts(db)]);
      for (const run of runs) for (const key of ["delivered", "retried", "failed"] as const) totals[key] += run[key];
      const pending = (await deliveries()).filter((row) => row.status === "PENDING");
      if (pending.length === 0) break;
      await makeDue();
    }

    const rows = await deliveries();
    expect(rows).toHaveLength(45);
    expect(rows.every((row) => row.status === "DELIVERED")).toBe(true);
    expect(totals.delivered).toBe(45);
    expect(totals.failed).toBe(0);
    for (const receiver of [generic, slack, pagerduty]) {
      const delivered = receiver.accepted().map((body) => body.alertId ?? body.payload?.custom_details?.alertId ?? body.blocks.at(-1).elements[0].text.split(" ")[1]);
      expect(delivered.sort()).toEqual([...alertIds].sort());
    }
    // Every request to the webhook is accounted for: one success per alert, and the recorded failures.
    const failedSends = generic.requests.filter((request) => request.status === 500).length;
    expect(failedSends).toBeGreaterThan(0);
    expect(totals.retried).toBe(failedSends);
    expect(slack.requests).toHaveLength(15);
    expect(pagerduty.requests).toHaveLength(15);
  });

  it("a claim that lapsed comes due again, and the late runner's result does not overwrite the delivered one", async () => {
    // The first send is answered only after the other runner delivered, however long that takes.
    let answerLate!: () => void;
    const late = new Promise<void>((resolve) => (answerLate = resolve));
    generic.answer((index) => (index === 0 ? { status: 500, body: "late", until: late } : { status: 200 }));
    overrideSettings({ OPS_ALERT_SLACK_WEBHOOK_URL: undefined });
    const alertId = (await raise("promo_campaign_auto_paused", "guard:book:lapsed"))!;

    const slowRunner = deliverDueAlerts(db);
    await vi.waitUntil(() => generic.requests.length === 1);
    // The slow runner's claim is still leased: another run now finds nothing due.
    expect(await deliverDueAlerts(db)).toEqual({ delivered: 0, retried: 0, failed: 0 });
    await makeDue(); // as if its lease ran out (a runner that hung or died)
    expect(await deliverDueAlerts(db)).toEqual({ delivered: 1, retried: 0, failed: 0 });

    answerLate();
    expect(await slowRunner).toEqual({ delivered: 0, retried: 0, failed: 0 });
    expect(await deliveryOf(alertId, "generic")).toMatchObject({ status: "DELIVERED", attempts: 1, lastStatusCode: 200, lastError: null });
  });
});
