import { afterEach, describe, expect, it } from "vitest";
import { captureLogs } from "@/lib/log";
import { alertPolicy, DEFAULT_ALERT_POLICY } from "./policy";
import { overrideSettings, restoreSettings } from "@/testing/settings";

afterEach(restoreSettings);

describe("alertPolicy", () => {
  it("is seed 002's routing when no override is set", () => {
    expect(alertPolicy(undefined)).toEqual({ policy: DEFAULT_ALERT_POLICY, problems: [] });
    expect(alertPolicy("  ")).toEqual({ policy: DEFAULT_ALERT_POLICY, problems: [] });
    expect(DEFAULT_ALERT_POLICY).toEqual({
      promo_campaign_auto_paused: { severity: "warning", escalation: "ops_l2", channels: ["slack", "generic"] },
      payments_reconciliation_diff_detected: { severity: "critical", escalation: "ops_l1", channels: ["pagerduty", "slack", "generic"] },
      payments_recovery_review_required: { severity: "error", escalation: "ops_l1", channels: ["pagerduty", "slack", "generic"] },
    });
  });

  it("overrides the fields an event names and keeps the rest (read from OPS_ALERT_ESCALATION_POLICY_JSON)", () => {
    overrideSettings({
      OPS_ALERT_ESCALATION_POLICY_JSON: JSON.stringify({ promo_campaign_auto_paused: { severity: "critical", channels: ["pagerduty", "slack", "pagerduty"] } }),
    });
    const { policy, problems } = alertPolicy();
    expect(problems).toEqual([]);
    expect(policy.promo_campaign_auto_paused).toEqual({ severity: "critical", escalation: "ops_l2", channels: ["pagerduty", "slack"] });
    expect(policy.payments_reconciliation_diff_detected).toEqual(DEFAULT_ALERT_POLICY.payments_reconciliation_diff_detected);
    expect(policy.payments_recovery_review_required).toEqual(DEFAULT_ALERT_POLICY.payments_recovery_review_required);
    // The defaults themselves are never mutated by an override.
    expect(DEFAULT_ALERT_POLICY.promo_campaign_auto_paused.severity).toBe("warning");
  });

  // Each override below also changes one event validly: a single bad entry still rejects the whole policy.
  const alsoValid = { payments_reconciliation_diff_detected: { severity: "info" } };
  it.each([
    ["invalid JSON", "{not json", /not valid JSON/],
    ["an unknown event", JSON.stringify({ ...alsoValid, promo_campaign_exploded: { severity: "critical" } }), /promo_campaign_exploded/],
    ["an unknown channel", JSON.stringify({ ...alsoValid, promo_campaign_auto_paused: { channels: ["slack", "email"] } }), /promo_campaign_auto_paused\.channels/],
    ["an unknown severity", JSON.stringify({ ...alsoValid, payments_recovery_review_required: { severity: "sev1" } }), /payments_recovery_review_required\.severity/],
    ["no channels at all", JSON.stringify({ ...alsoValid, payments_recovery_review_required: { channels: [] } }), /channels/],
    ["an unknown field", JSON.stringify({ ...alsoValid, promo_campaign_auto_paused: { severity: "error", mute: true } }), /mute/],
    ["not an object", "[]", /expected/i],
  ])("keeps the defaults, reports and logs the problems for %s", (_name, raw, problem) => {
    const logs = captureLogs();
    try {
      const { policy, problems } = alertPolicy(raw);
      expect(policy).toEqual(DEFAULT_ALERT_POLICY);
      expect(problems.join("\n")).toMatch(problem);
      const logged = logs.lines.map((line) => JSON.parse(line)).find((line) => line.msg.includes("OPS_ALERT_ESCALATION_POLICY_JSON ignored"));
      expect(logged).toMatchObject({ level: 50, problems });
    } finally {
      logs.stop();
    }
  });
});
