import { z } from "zod";
import { settings } from "@/lib/env";
import { logger } from "@/lib/log";
import { ALERT_CHANNELS, ALERT_EVENTS, ALERT_SEVERITIES, type AlertEvent } from "./kinds";

export { ALERT_CHANNELS, ALERT_EVENTS, ALERT_SEVERITIES, type AlertChannel, type AlertEvent, type AlertSeverity } from "./kinds";

const routeSchema = z.strictObject({
  severity: z.enum(ALERT_SEVERITIES),
  escalation: z.string().regex(/^[a-z0-9_]{1,40}$/),
  channels: z.array(z.enum(ALERT_CHANNELS)).min(1).transform((channels) => [...new Set(channels)]),
});
export type AlertRoute = z.infer<typeof routeSchema>;

/** Seed 002's routing, DESIGN §8. */
export const DEFAULT_ALERT_POLICY: Record<AlertEvent, AlertRoute> = {
  promo_campaign_auto_paused: { severity: "warning", escalation: "ops_l2", channels: ["slack", "generic"] },
  payments_reconciliation_diff_detected: { severity: "critical", escalation: "ops_l1", channels: ["pagerduty", "slack", "generic"] },
  payments_recovery_review_required: { severity: "error", escalation: "ops_l1", channels: ["pagerduty", "slack", "generic"] },
};

/** An override names events it changes; each field left out keeps the default's. */
const overrideSchema = z.partialRecord(z.enum(ALERT_EVENTS), routeSchema.partial());

/**
 * The routing in force: the defaults with `OPS_ALERT_ESCALATION_POLICY_JSON` applied. A policy that
 * is not JSON or not valid is reported (logged with its problems) and ignored as a whole: a half
 * applied policy would route alerts in ways nobody wrote down.
 */
export function alertPolicy(raw: string | undefined = settings("OPS_ALERT_ESCALATION_POLICY_JSON").OPS_ALERT_ESCALATION_POLICY_JSON) {
  if (!raw?.trim()) return { policy: DEFAULT_ALERT_POLICY, problems: [] as string[] };
  let parsedJson: unknown;
  try {
    parsedJson = JSON.parse(raw);
  } catch {
    return rejected(["OPS_ALERT_ESCALATION_POLICY_JSON is not valid JSON"]);
  }
  const parsed = overrideSchema.safeParse(parsedJson);
  if (!parsed.success) return rejected(parsed.error.issues.map((issue) => `${issue.path.join(".") || "(root)"}: ${issue.message}`));
  const policy = { ...DEFAULT_ALERT_POLICY };
  for (const [event, override] of Object.entries(parsed.data) as [AlertEvent, Partial<AlertRoute>][]) {
    policy[event] = { ...policy[event], ...override };
  }
  return { policy, problems: [] as string[] };
}

function rejected(problems: string[]) {
  logger.error({ problems }, "OPS_ALERT_ESCALATION_POLICY_JSON ignored: the default alert routing stays in force");
  return { policy: DEFAULT_ALERT_POLICY, problems };
}
