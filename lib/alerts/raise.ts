import { sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { opsAlertDeliveries, opsAlerts } from "@/db/schema";
import { logger } from "@/lib/log";
import { channelSettings, isChannelConfigured } from "./channels";
import { alertPolicy, type AlertEvent } from "./policy";

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
  const config = channelSettings();
  const channels = route.channels.filter((channel) => isChannelConfigured(channel, config));
  // One transaction (a savepoint inside the caller's): an alert row without its deliveries would
  // hold the dedupe key while nobody is ever told.
  const alertId = await db.transaction(async (tx) => {
    const [inserted] = await tx
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
    if (channels.length > 0) {
      await tx.insert(opsAlertDeliveries).values(channels.map((channel) => ({ alertId: inserted.id, channel, nextAttemptAt: sql`now()` })));
    }
    return inserted.id;
  });
  if (alertId) {
    const unconfigured = route.channels.filter((channel) => !channels.includes(channel));
    logger.warn({ alertId, event: alert.event, severity: route.severity, channels, unconfigured }, "ops alert raised");
  }
  return alertId;
}
