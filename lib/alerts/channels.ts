import { createHash } from "node:crypto";
import { settings } from "@/lib/env";
import type { AlertChannel, AlertSeverity } from "./policy";

/** An alert as it is read back from the outbox for delivery. */
export interface OutboxAlert {
  alertId: string;
  event: string;
  severity: string;
  escalation: string;
  summary: string;
  dedupeKey: string;
  details: unknown;
  businessId: string | null;
  bookId: string | null;
  raisedAt: Date;
}

/** What one channel sends: where, which JSON body, which extra headers. */
export interface ChannelRequest {
  url: string;
  body: unknown;
  headers: Record<string, string>;
}

/** The channel settings in force, read (and validated) once per delivery run. */
export type ChannelSettings = ReturnType<typeof channelSettings>;

export function channelSettings() {
  return settings("OPS_ALERT_WEBHOOK_URL", "OPS_ALERT_SLACK_WEBHOOK_URL", "OPS_ALERT_PAGERDUTY_EVENTS_URL", "OPS_ALERT_PAGERDUTY_ROUTING_KEY");
}

/** The setting a channel cannot be delivered without (named in last_error when it vanished). */
export const CHANNEL_SETTING: Record<AlertChannel, string> = {
  generic: "OPS_ALERT_WEBHOOK_URL",
  slack: "OPS_ALERT_SLACK_WEBHOOK_URL",
  pagerduty: "OPS_ALERT_PAGERDUTY_ROUTING_KEY",
};

/** A routed channel without its URL (or PagerDuty without its routing key) gets no delivery row. */
export function isChannelConfigured(channel: AlertChannel, config: ChannelSettings = channelSettings()): boolean {
  return Boolean(config[CHANNEL_SETTING[channel] as keyof ChannelSettings]);
}

/**
 * The request that delivers `alert` to `channel`, or null when the channel's setting is gone (it was
 * set when the alert was raised, or there would be no delivery row).
 */
export function channelRequest(channel: AlertChannel, alert: OutboxAlert, config: ChannelSettings): ChannelRequest | null {
  if (channel === "generic") {
    if (!config.OPS_ALERT_WEBHOOK_URL) return null;
    // Receivers may see an alert twice (a runner that died after sending): the key lets them drop the repeat.
    return { url: config.OPS_ALERT_WEBHOOK_URL, body: genericPayload(alert), headers: { "Idempotency-Key": `${alert.alertId}:generic` } };
  }
  if (channel === "slack") {
    if (!config.OPS_ALERT_SLACK_WEBHOOK_URL) return null;
    return { url: config.OPS_ALERT_SLACK_WEBHOOK_URL, body: slackPayload(alert), headers: {} };
  }
  if (!config.OPS_ALERT_PAGERDUTY_ROUTING_KEY) return null;
  return { url: config.OPS_ALERT_PAGERDUTY_EVENTS_URL, body: pagerDutyPayload(alert, config.OPS_ALERT_PAGERDUTY_ROUTING_KEY), headers: {} };
}

/** The generic webhook's body (kept stable for receivers written against earlier releases). */
function genericPayload(alert: OutboxAlert) {
  return {
    alertId: alert.alertId,
    event: alert.event,
    severity: alert.severity,
    escalation: alert.escalation,
    summary: alert.summary,
    dedupeKey: alert.dedupeKey,
    details: alert.details,
    businessId: alert.businessId,
    bookId: alert.bookId,
    raisedAt: alert.raisedAt.toISOString(),
  };
}

const SLACK_EMOJI: Record<string, string> = { critical: ":rotating_light:", error: ":red_circle:", warning: ":warning:", info: ":information_source:" };

/** Slack mrkdwn treats these three as control characters; anything else in a summary is shown as is. */
const slackEscape = (text: string) => text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");

/** A Slack incoming-webhook message: `text` for notifications and old clients, `blocks` for the channel. */
function slackPayload(alert: OutboxAlert) {
  const severity = alert.severity.toUpperCase();
  const summary = slackEscape(alert.summary);
  return {
    text: `[${severity}] ${alert.escalation} · ${alert.event}: ${summary}`,
    blocks: [
      { type: "header", text: { type: "plain_text", text: `${severity} · ${alert.event}`.slice(0, 150) } },
      { type: "section", text: { type: "mrkdwn", text: `${SLACK_EMOJI[alert.severity] ?? ""} ${summary}`.trim().slice(0, 3000) } },
      {
        type: "section",
        fields: [
          { type: "mrkdwn", text: `*Severity*\n${severity}` },
          { type: "mrkdwn", text: `*Escalation*\n${alert.escalation}` },
          { type: "mrkdwn", text: `*Event*\n${alert.event}` },
          { type: "mrkdwn", text: `*Dedupe key*\n${slackEscape(alert.dedupeKey).slice(0, 1900)}` },
        ],
      },
      { type: "context", elements: [{ type: "mrkdwn", text: `alert ${alert.alertId} · raised ${alert.raisedAt.toISOString()}` }] },
    ],
  };
}

const PAGERDUTY_SEVERITIES: readonly AlertSeverity[] = ["critical", "error", "warning", "info"];

/** PagerDuty Events API v2 `trigger`: the dedup_key folds repeats of one incident into one PagerDuty alert. */
function pagerDutyPayload(alert: OutboxAlert, routingKey: string) {
  const severity = (PAGERDUTY_SEVERITIES as readonly string[]).includes(alert.severity) ? alert.severity : "error";
  return {
    routing_key: routingKey,
    event_action: "trigger" as const,
    // PagerDuty caps dedup_key at 255 characters; a longer key is replaced by its digest, still stable.
    dedup_key: alert.dedupeKey.length <= 255 ? alert.dedupeKey : `sha256:${createHash("sha256").update(alert.dedupeKey).digest("hex")}`,
    payload: {
      summary: alert.summary.slice(0, 1024),
      severity,
      source: "coupon-platform",
      timestamp: alert.raisedAt.toISOString(),
      component: alert.event,
      group: alert.escalation,
      class: alert.event,
      custom_details: {
        alertId: alert.alertId,
        escalation: alert.escalation,
        dedupeKey: alert.dedupeKey,
        businessId: alert.businessId,
        bookId: alert.bookId,
        details: alert.details,
      },
    },
  };
}
