import { InngestTestEngine } from "@inngest/test";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { db } from "@/db/client";
import { opsAlertDeliveries } from "@/db/schema";
import { startAlertReceiver, type AlertReceiver } from "@/testing/alert-receivers";
import { inngest } from "@/lib/inngest";
import { alertRouting } from "@/inngest/functions/alert-routing";
import { functions } from "@/inngest/functions";
import { announceAlerts } from "@/lib/alerts/announce-alerts";
import { raiseAlert } from "@/lib/alerts/raise";
import { overrideSettings, restoreSettings, type SettingOverrides } from "@/testing/settings";

let webhook: AlertReceiver;
let slack: AlertReceiver;
let inngestServer: AlertReceiver;

beforeAll(async () => {
  [webhook, slack, inngestServer] = await Promise.all([startAlertReceiver(), startAlertReceiver(), startAlertReceiver()]);
});

afterAll(async () => {
  await Promise.all([webhook.close(), slack.close(), inngestServer.close()]);
});

beforeEach(() => {
  for (const receiver of [webhook, slack, inngestServer]) receiver.reset();
  overrideSettings({
    OPS_ALERT_WEBHOOK_URL: `${webhook.url}/hook`,
    OPS_ALERT_SLACK_WEBHOOK_URL: `${slack.url}/services/T/B/x`,
    OPS_ALERT_PAGERDUTY_ROUTING_KEY: undefined,
    OPS_ALERT_ESCALATION_POLICY_JSON: undefined,
  });
});

afterEach(restoreSettings);

const raise = (dedupeKey: string) =>
  raiseAlert(db, { event: "promo_campaign_auto_paused", dedupeKey, summary: `Campaign paused (${dedupeKey})` }) as Promise<string>;

describe("Inngest function alert-routing (ops/alert.raised)", () => {
  it("is served at /api/inngest", () => {
    expect(functions).toContain(alertRouting);
  });

  it("delivers the announced alerts at once, in one step, and leaves other alerts to the cron", async () => {
    const announced = await raise("guard:book:1");
    const other = await raise("guard:book:2");
    const t = new InngestTestEngine({ function: alertRouting, events: [{ name: "ops/alert.raised", data: { alertIds: [announced] } }] });

    const { result, ctx } = await t.execute();
    expect(result).toEqual({ delivered: 2, retried: 0, failed: 0 });
    expect(ctx.step.run).toHaveBeenCalledWith("deliver-alerts", expect.any(Function));
    expect(webhook.accepted().map((body) => body.alertId)).toEqual([announced]);
    expect(slack.accepted()).toHaveLength(1);
    const pendingOfOther = (await db.select().from(opsAlertDeliveries)).filter((row) => row.alertId === other && row.status === "PENDING");
    expect(pendingOfOther).toHaveLength(2);
  });

  it("a second run for the same alerts sends nothing more", async () => {
    const alertId = await raise("guard:book:3");
    const run = () => new InngestTestEngine({ function: alertRouting, events: [{ name: "ops/alert.raised", data: { alertIds: [alertId] } }] }).execute();
    await run();
    const { result } = await run();
    expect(result).toEqual({ delivered: 0, retried: 0, failed: 0 });
    expect(webhook.requests).toHaveLength(1);
  });

  it("refuses an event whose alert ids are not ids", async () => {
    const t = new InngestTestEngine({ function: alertRouting, events: [{ name: "ops/alert.raised", data: { alertIds: ["nope"] } }] });
    const { error } = await t.execute();
    expect(error).toMatchObject({ name: "EventValidationError", message: expect.stringContaining("alertIds.0") });
  });
});

describe("announceAlerts", () => {
  /** The Inngest client reads its settings when it is built; a test that changes them hands them over again. */
  function inngestSettings(values: SettingOverrides) {
    overrideSettings(values);
    inngest.setEnvVars({ INNGEST_DEV: process.env.INNGEST_DEV ?? "", INNGEST_EVENT_KEY: process.env.INNGEST_EVENT_KEY ?? "" });
  }

  it("sends ops/alert.raised with a stable id when Inngest is configured", async () => {
    inngestSettings({ INNGEST_DEV: inngestServer.url, INNGEST_EVENT_KEY: undefined });
    inngestServer.answer(() => ({ status: 200, body: JSON.stringify({ ids: ["evt"], status: 200 }) }));
    const alertIds = [await raise("guard:book:4"), await raise("guard:book:5")];

    await announceAlerts(alertIds);
    await announceAlerts([...alertIds].reverse());
    expect(inngestServer.requests).toHaveLength(2);
    const [first, second] = inngestServer.requests.map((request) => request.body[0]);
    expect(first).toMatchObject({ name: "ops/alert.raised", data: { alertIds }, id: expect.stringMatching(/^ops-alert-raised:[0-9a-f]{32}$/) });
    expect(second.id).toBe(first.id);
    // Announcing is not delivering: the outbox is untouched until the function runs.
    expect(webhook.requests).toHaveLength(0);
  });

  it("does nothing without Inngest, and never throws when Inngest is unreachable", async () => {
    inngestSettings({ INNGEST_DEV: undefined, INNGEST_EVENT_KEY: undefined });
    await expect(announceAlerts([await raise("guard:book:6")])).resolves.toBeUndefined();
    expect(inngestServer.requests).toHaveLength(0);

    inngestSettings({ INNGEST_DEV: inngestServer.url });
    inngestServer.answer(() => ({ status: 500, body: "boom" }));
    await expect(announceAlerts([await raise("guard:book:7")])).resolves.toBeUndefined();
    expect(inngestServer.requests.length).toBeGreaterThan(0);
  });
});
