import { randomUUID } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { db } from "@/db/client";
import { raiseAlert } from "@/lib/alerts/raise";
import { activeBook, businessWithKey } from "@/testing/fixtures";
import { overrideSettings, restoreSettings } from "@/testing/settings";
import { listAlertOutbox } from "./list-alert-outbox";
import { ListAlertsQuery } from "./schemas";

beforeEach(() => {
  overrideSettings({
    OPS_ALERT_WEBHOOK_URL: "http://127.0.0.1:9/hook",
    OPS_ALERT_SLACK_WEBHOOK_URL: undefined,
    OPS_ALERT_PAGERDUTY_ROUTING_KEY: undefined,
    OPS_ALERT_ESCALATION_POLICY_JSON: undefined,
  });
});
afterEach(restoreSettings);

describe("listAlertOutbox (the ops alerts page)", () => {
  it("lists the API's page of alerts with the names of their business and campaign", async () => {
    const owner = await businessWithKey();
    const book = await activeBook(owner.businessId, { codes: 0, overrides: { name: "Spring sale" } });
    const paused = await raiseAlert(db, { event: "promo_campaign_auto_paused", dedupeKey: "guard:1", summary: "paused", businessId: owner.businessId, bookId: book.id });
    const gone = await raiseAlert(db, { event: "payments_recovery_review_required", dedupeKey: "recovery:1", summary: "review", businessId: randomUUID(), bookId: randomUUID() });
    const none = await raiseAlert(db, { event: "payments_reconciliation_diff_detected", dedupeKey: "recon:1", summary: "diff" });

    const page = await listAlertOutbox(db, ListAlertsQuery.parse({}));

    expect(page).toMatchObject({ total: 3, limit: 50, offset: 0 });
    expect(page.data.map((alert) => [alert.id, alert.businessName, alert.book])).toEqual([
      [none, null, null],
      [gone, null, null],
      [paused, owner.name, { name: "Spring sale", status: "ACTIVE" }],
    ]);
    expect(page.data[2]!.deliveries).toEqual([expect.objectContaining({ channel: "generic", status: "PENDING", attempts: 0 })]);
  });

  it("passes the filters and the page through to the API's list", async () => {
    await raiseAlert(db, { event: "promo_campaign_auto_paused", dedupeKey: "guard:2", summary: "paused" });
    await raiseAlert(db, { event: "payments_reconciliation_diff_detected", dedupeKey: "recon:2", summary: "diff" });
    const critical = await listAlertOutbox(db, ListAlertsQuery.parse({ severity: "critical" }));
    expect(critical.data.map((alert) => alert.summary)).toEqual(["diff"]);
    const second = await listAlertOutbox(db, ListAlertsQuery.parse({ limit: 1, offset: 1 }));
    expect(second).toMatchObject({ total: 2, limit: 1, offset: 1 });
    expect(second.data.map((alert) => alert.summary)).toEqual(["paused"]);
    expect(await listAlertOutbox(db, ListAlertsQuery.parse({ eventType: "payments_recovery_review_required" }))).toMatchObject({ total: 0, data: [] });
  });
});
