import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { db } from "@/db/client";
import { opsAlertDeliveries } from "@/db/schema";
import { startAlertReceiver, type AlertReceiver } from "@/testing/alert-receivers";
import { raiseAlert } from "./raise";
import { overrideSettings, restoreSettings } from "@/testing/settings";

const run = promisify(execFile);
const TSX = path.join(process.cwd(), "node_modules", ".bin", "tsx");

let webhook: AlertReceiver;
let slack: AlertReceiver;
let pagerduty: AlertReceiver;

beforeAll(async () => {
  [webhook, slack, pagerduty] = await Promise.all([startAlertReceiver(), startAlertReceiver(), startAlertReceiver()]);
});

afterAll(async () => {
  await Promise.all([webhook.close(), slack.close(), pagerduty.close()]);
});

beforeEach(() => {
  for (const receiver of [webhook, slack, pagerduty]) receiver.reset();
  // Read by raiseAlert here and, through the inherited environment, by the job's process.
  overrideSettings({
    OPS_ALERT_WEBHOOK_URL: `${webhook.url}/hook`,
    OPS_ALERT_SLACK_WEBHOOK_URL: `${slack.url}/services/T/B/x`,
    OPS_ALERT_PAGERDUTY_EVENTS_URL: `${pagerduty.url}/v2/enqueue`,
    OPS_ALERT_PAGERDUTY_ROUTING_KEY: "routing-key-for-tests",
    OPS_ALERT_ESCALATION_POLICY_JSON: undefined,
  });
});

afterEach(restoreSettings);

/** `npm run job -- alerts-deliver` as an operator runs it: its own process, settings from its environment. */
async function job(extraEnv: Record<string, string> = {}) {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extraEnv, LOG_LEVEL: "info" };
  // Outside tests the job logs its summary line; NODE_ENV=test would silence it.
  Reflect.deleteProperty(env, "NODE_ENV");
  try {
    const { stdout, stderr } = await run(TSX, ["scripts/job.ts", "alerts-deliver"], { env });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

const raise = async () => (await raiseAlert(db, { event: "payments_reconciliation_diff_detected", dedupeKey: "reconciliation:job-test", summary: "diff" }))!;

describe("npm run job -- alerts-deliver", () => {
  it("delivers the due alerts, logs its summary and exits 0, whatever an unrelated setting says", async () => {
    const alertId = await raise();
    const result = await job({ RATE_LIMIT_TIMEOUT_MS: "nope" });
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const summary = result.stdout
      .split("\n")
      .filter(Boolean)
      .map((line) => JSON.parse(line))
      .find((line) => line.msg === "job finished");
    expect(summary).toMatchObject({ job: "alerts-deliver", delivered: 3, retried: 0, failed: 0 });
    for (const receiver of [webhook, slack, pagerduty]) expect(receiver.accepted()).toHaveLength(1);
    expect(webhook.accepted()[0]).toMatchObject({ alertId, event: "payments_reconciliation_diff_detected" });
    expect((await db.select().from(opsAlertDeliveries)).map((row) => row.status)).toEqual(["DELIVERED", "DELIVERED", "DELIVERED"]);
  });

  it("exits non-zero naming the setting when one of its own settings is invalid, and claims nothing", async () => {
    await raise();
    const result = await job({ OPS_ALERT_WEBHOOK_URL: "not-a-url" });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/Invalid environment: OPS_ALERT_WEBHOOK_URL: Invalid URL/);
    expect(webhook.requests.length + slack.requests.length + pagerduty.requests.length).toBe(0);
    const rows = await db.select().from(opsAlertDeliveries);
    expect(rows).toHaveLength(3);
    expect(rows.every((row) => row.status === "PENDING" && row.attempts === 0 && row.nextAttemptAt.getTime() <= Date.now())).toBe(true);
  });
});
