import { and, asc, count, desc, eq, gte, inArray, sql } from "drizzle-orm";
import { z } from "zod";
import type { DbOrTx } from "@/db/client";
import { alertChannel, alertDeliveryStatus, opsAlertDeliveries, opsAlerts } from "@/db/schema";
import { ALERT_EVENTS, ALERT_SEVERITIES, type AlertEvent, type AlertSeverity } from "@/lib/alerts/kinds";
import type { Page } from "@/lib/pagination";
import { wireDateTime, wireId } from "@/lib/wire";
import type { ListAlertsQuery } from "./schemas";

/** One channel's delivery of an alert. */
export const AlertDeliveryDto = z
  .strictObject({
    id: wireId,
    channel: z.enum(alertChannel.enumValues),
    status: z.enum(alertDeliveryStatus.enumValues).describe("PENDING: being tried (with backoff); DELIVERED; FAILED: attempts used up, only a retry sends it again"),
    attempts: z.number().int().min(0).describe("Attempts made in the current cycle (a retry starts a new one at 0)"),
    lastError: z.string().nullable().describe("Why the last attempt failed; null when it did not (or none was made)"),
    lastStatusCode: z.number().int().nullable().describe("The channel's HTTP status on the last attempt; null when none was made or no answer came"),
    nextAttemptAt: wireDateTime.nullable().describe("When the next attempt is due; null once the delivery is DELIVERED or FAILED (nothing more is tried)"),
    deliveredAt: wireDateTime.nullable(),
    updatedAt: wireDateTime,
  })
  .meta({ id: "AlertDelivery" });
export type AlertDeliveryDto = z.infer<typeof AlertDeliveryDto>;

/** An alert of the outbox (DESIGN §8) with its deliveries. */
export const AlertDto = z
  .strictObject({
    id: wireId,
    eventType: z.enum(ALERT_EVENTS),
    severity: z.enum(ALERT_SEVERITIES),
    escalation: z.string().describe("The escalation path of the alert policy in force when it was raised (`ops_l1`, `ops_l2`, …)"),
    summary: z.string().describe("One line for the person on call; never a raw coupon code"),
    dedupeKey: z.string().describe("Names the incident: raising the same key again is a no-op"),
    details: z.record(z.string(), z.unknown()).describe("Free-form facts of the incident, as its producer wrote them (ids, counts, amounts); never raw coupon codes"),
    businessId: wireId.nullable(),
    bookId: wireId.nullable(),
    createdAt: wireDateTime,
    deliveries: z.array(AlertDeliveryDto).describe("One per channel configured when the alert was raised, in channel order; empty when none was"),
  })
  .meta({ id: "Alert" });
export type AlertDto = z.infer<typeof AlertDto>;

export function toDeliveryDto(row: typeof opsAlertDeliveries.$inferSelect): AlertDeliveryDto {
  return {
    id: row.id,
    channel: row.channel,
    status: row.status,
    attempts: row.attempts,
    lastError: row.lastError,
    lastStatusCode: row.lastStatusCode,
    nextAttemptAt: row.status === "PENDING" ? row.nextAttemptAt.toISOString() : null,
    deliveredAt: row.deliveredAt?.toISOString() ?? null,
    updatedAt: row.updatedAt.toISOString(),
  };
}

/**
 * GET /api/internal/promo/alerts: the alert outbox for ops, newest first, each alert with its
 * deliveries per channel. One query for the page, one for the total, one for the page's deliveries.
 */
export async function listAlerts(db: DbOrTx, query: ListAlertsQuery): Promise<Page<AlertDto>> {
  const where = and(
    query.severity ? eq(opsAlerts.severity, query.severity) : undefined,
    query.eventType ? eq(opsAlerts.eventType, query.eventType) : undefined,
    query.businessId ? eq(opsAlerts.businessId, query.businessId) : undefined,
    query.since ? gte(opsAlerts.createdAt, query.since) : undefined,
    query.deliveryStatus
      ? sql`exists (select 1 from ${opsAlertDeliveries} where ${opsAlertDeliveries.alertId} = ${opsAlerts.id} and ${opsAlertDeliveries.status} = ${query.deliveryStatus})`
      : undefined,
  );
  const [rows, [total]] = await Promise.all([
    db.select().from(opsAlerts).where(where).orderBy(desc(opsAlerts.createdAt), desc(opsAlerts.id)).limit(query.limit).offset(query.offset),
    db.select({ n: count() }).from(opsAlerts).where(where),
  ]);
  const deliveries =
    rows.length === 0
      ? []
      : await db
          .select()
          .from(opsAlertDeliveries)
          .where(
            inArray(
              opsAlertDeliveries.alertId,
              rows.map((row) => row.id),
            ),
          )
          .orderBy(asc(opsAlertDeliveries.channel));
  const data = rows.map((row) => ({
    id: row.id,
    // Only raiseAlert writes these columns, from the typed alert policy.
    eventType: row.eventType as AlertEvent,
    severity: row.severity as AlertSeverity,
    escalation: row.escalation,
    summary: row.summary,
    dedupeKey: row.dedupeKey,
    details: row.payload as Record<string, unknown>,
    businessId: row.businessId,
    bookId: row.bookId,
    createdAt: row.createdAt.toISOString(),
    deliveries: deliveries.filter((delivery) => delivery.alertId === row.id).map(toDeliveryDto),
  }));
  return { data, total: total?.n ?? 0, limit: query.limit, offset: query.offset };
}
