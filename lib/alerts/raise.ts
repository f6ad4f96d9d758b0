import { sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { opsAlertDeliveries, opsAlerts } from "@/db/schema";
import { logger } from "@/lib/log";
import { settings } from "@/lib/env";
import { alertPolicy, type AlertChannel, type AlertEvent } from "./policy";

export interface RaisedAlert {
  event: AlertEvent;
  /** The same key twice raises one alert: make it name the incident (the book and its pause, the order). */
  dedupeKey: string;
  /** One line a person on call reads first. Never a raw coupon code. */
  summary: string;
  details?: Record<string, unknown>;
  businessId?: string | null;
  bookId?: string | null;
}

/**
 * Writes an alert into the outbox with one PENDING delivery per channel of its route, in the
 * caller's transaction, so it is raised exactly when what it reports commits. Delivery happens
 * later (`deliverDueAlerts`). Returns the alert id, or null when this dedupe key was raised before.
 */
export async function raiseAlert(db: DbOrTx, alert: RaisedAlert): Promise<string | null> {
  const route = alertPolicy().policy[alert.event];
  const [inserted] = await db
    .insert(opsAlerts)
    .values({
      eventType: alert.event,
      severity: route.severity,
      escalation: route.escalation,
      dedupeKey: alert.dedupeKey,
      summary: alert.summary,
      payload: alert.details ?? {},
      businessId: alert.businessId ?? null,
      bookId: alert.bookId ?? null,
    })
    .onConflictDoNothing({ target: opsAlerts.dedupeKey })
    .returning({ id: opsAlerts.id });
  if (!inserted) return null;
  const channels = route.channels.filter(isChannelConfigured);
  if (channels.length > 0) {
    await db.insert(opsAlertDeliveries).values(channels.map((channel) => ({ alertId: inserted.id, channel, nextAttemptAt: sql`now()` })));
  }
  const unconfigured = route.channels.filter((channel) => !channels.includes(channel));
  logger.warn({ alertId: inserted.id, event: alert.event, severity: route.severity, channels, unconfigured }, "ops alert raised");
  return inserted.id;
}

/** A routed channel without its URL (or PagerDuty without its routing key) gets no delivery row. */
export function isChannelConfigured(channel: AlertChannel): boolean {
  const config = settings("OPS_ALERT_WEBHOOK_URL", "OPS_ALERT_SLACK_WEBHOOK_URL", "OPS_ALERT_PAGERDUTY_ROUTING_KEY");
  if (channel === "generic") return Boolean(config.OPS_ALERT_WEBHOOK_URL);
  if (channel === "slack") return Boolean(config.OPS_ALERT_SLACK_WEBHOOK_URL);
  return Boolean(config.OPS_ALERT_PAGERDUTY_ROUTING_KEY);
}
