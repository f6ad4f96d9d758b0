import { randomUUID } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { db } from "@/db/client";
import { opsAlertDeliveries, opsAudit } from "@/db/schema";
import { deliverDueAlerts } from "@/lib/alerts/deliver";
import { raiseAlert } from "@/lib/alerts/raise";
import type { Actor } from "@/lib/auth/actor";
import { startAlertReceiver, type AlertReceiver } from "@/testing/alert-receivers";
import { testUserId } from "@/testing/http";
import { overrideSettings, restoreSettings } from "@/testing/settings";
import { retryAlertDeliveryServerAction } from "./alert-actions";

let receiver: AlertReceiver;
beforeAll(async () => {
  receiver = await startAlertReceiver();
});
afterAll(async () => {
  await receiver.close();
});
beforeEach(() => {
  receiver.reset();
  // The generic webhook only, one attempt: a 500 ends the delivery FAILED, as in the e2e run.
  overrideSettings({
    OPS_ALERT_WEBHOOK_URL: `${receiver.url}/hook`,
    OPS_ALERT_SLACK_WEBHOOK_URL: undefined,
    OPS_ALERT_PAGERDUTY_ROUTING_KEY: undefined,
    OPS_ALERT_ESCALATION_POLICY_JSON: undefined,
    OPS_ALERT_MAX_ATTEMPTS: "1",
  });
});
afterEach(restoreSettings);

const ops: Actor = { kind: "user", role: "ops", userId: testUserId("ops-1") };
const meta = { ip: "203.0.113.9", userAgent: "e2e-browser" };

/** An alert whose one (generic) delivery has failed against a receiver answering 500. */
async function failedDelivery() {
  const alertId = (await raiseAlert(db, { event: "promo_campaign_auto_paused", dedupeKey: `guard:${randomUUID()}`, summary: "Campaign paused", businessId: randomUUID() }))!;
  receiver.answer(() => ({ status: 500, body: "receiver down" }));
  await deliverDueAlerts(db, { alertIds: [alertId] });
  const [delivery] = await db.select().from(opsAlertDeliveries).where(eq(opsAlertDeliveries.alertId, alertId));
  expect(delivery).toMatchObject({ channel: "generic", status: "FAILED", attempts: 1, lastStatusCode: 500 });
  return { alertId, deliveryId: delivery!.id };
}

describe("retryAlertDeliveryServerAction (the alerts page's Retry)", () => {
  it("sends a FAILED delivery again at once: DELIVERED in the answer, audited with the operator and the reason", async () => {
    const { alertId, deliveryId } = await failedDelivery();
    receiver.answer(() => ({ status: 200, body: "ok" }));

    const result = await retryAlertDeliveryServerAction.run({ actor: ops, meta }, { deliveryId, reason: "  receiver fixed  " });

    expect(result).toMatchObject({ ok: true, data: { alertId, delivery: { id: deliveryId, status: "DELIVERED", attempts: 1, lastError: null, lastStatusCode: 200, nextAttemptAt: null } } });
    expect(receiver.accepted().map((body: { alertId: string }) => body.alertId)).toEqual([alertId]);
    const audit = await db.select().from(opsAudit).where(eq(opsAudit.targetId, deliveryId));
    expect(audit).toEqual([
      expect.objectContaining({
        action: "RETRY_ALERT_DELIVERY",
        actor: `ops:${ops.kind === "user" ? ops.userId : ""}`,
        targetType: "alert_delivery",
        ip: "203.0.113.9",
        userAgent: "e2e-browser",
        details: expect.objectContaining({ alertId, channel: "generic", previousAttempts: 1, previousStatusCode: 500, reason: "receiver fixed" }),
      }),
    ]);

    // A second click finds it DELIVERED: refused as data, nothing sent or audited again.
    const again = await retryAlertDeliveryServerAction.run({ actor: ops, meta }, { deliveryId });
    expect(again).toMatchObject({ ok: false, code: "INVALID_STATUS_TRANSITION" });
    expect(receiver.requests).toHaveLength(2);
    expect(await db.select().from(opsAudit).where(eq(opsAudit.targetId, deliveryId))).toHaveLength(1);
  });

  it("answers FAILED again when the receiver still fails (one attempt allowed), with the new error", async () => {
    const { deliveryId } = await failedDelivery();
    receiver.answer(() => ({ status: 503, body: "still down" }));
    const result = await retryAlertDeliveryServerAction.run({ actor: ops, meta }, { deliveryId });
    expect(result).toMatchObject({ ok: true, data: { delivery: { status: "FAILED", attempts: 1, lastStatusCode: 503, lastError: "HTTP 503: still down" } } });
  });

  it("leaves it PENDING, due now, for the alerts-deliver job when the send cannot run (the channel's setting is gone)", async () => {
    const { deliveryId } = await failedDelivery();
    overrideSettings({ OPS_ALERT_WEBHOOK_URL: "not a url" });
    const result = await retryAlertDeliveryServerAction.run({ actor: ops, meta }, { deliveryId });
    expect(result).toMatchObject({ ok: true, data: { delivery: { status: "PENDING", attempts: 0 } } });
    const [row] = await db.select({ due: sql<boolean>`${opsAlertDeliveries.nextAttemptAt} <= now()` }).from(opsAlertDeliveries).where(eq(opsAlertDeliveries.id, deliveryId));
    expect(row!.due).toBe(true);
  });

  it("checks the input with the API's schema and refuses sellers and shoppers before the service", async () => {
    const { deliveryId } = await failedDelivery();
    expect(await retryAlertDeliveryServerAction.run({ actor: ops, meta }, { deliveryId, reason: "x".repeat(501) })).toMatchObject({
      ok: false,
      code: "VALIDATION_ERROR",
      fieldErrors: { reason: expect.any(String) },
    });
    expect(await retryAlertDeliveryServerAction.run({ actor: ops, meta }, { deliveryId: "not-a-uuid" })).toMatchObject({ ok: false, code: "VALIDATION_ERROR", fieldErrors: { deliveryId: expect.any(String) } });
    const seller: Actor = { kind: "user", role: "seller", userId: testUserId("seller-1"), businessId: randomUUID() };
    const shopper: Actor = { kind: "user", role: "shopper", userId: testUserId("shopper-1") };
    for (const actor of [seller, shopper]) expect(await retryAlertDeliveryServerAction.run({ actor, meta }, { deliveryId })).toMatchObject({ ok: false, code: "FORBIDDEN" });
    expect(await retryAlertDeliveryServerAction.run({ actor: null, meta }, { deliveryId })).toMatchObject({ ok: false, code: "UNAUTHORIZED" });
    // Nothing of that touched the delivery.
    const [row] = await db.select().from(opsAlertDeliveries).where(eq(opsAlertDeliveries.id, deliveryId));
    expect(row).toMatchObject({ status: "FAILED", attempts: 1 });
    expect(await db.select().from(opsAudit).where(eq(opsAudit.targetId, deliveryId))).toEqual([]);
  });
});
