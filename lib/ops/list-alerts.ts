import { and, asc, count, desc, eq, gte, inArray, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { opsAlertDeliveries, opsAlerts } from "@/db/schema";
import type { Page } from "@/lib/pagination";
import type { ListAlertsQuery } from "./schemas";

export interface AlertDeliveryDto {
  id: string;
  channel: "generic" | "slack" | "pagerduty";
  status: "PENDING" | "DELIVERED" | "FAILED";
  attempts: number;
  lastError: string | null;
  lastStatusCode: number | null;
  /** When the next attempt is due; null once the delivery is DELIVERED or FAILED (nothing more is tried). */
  nextAttemptAt: Date | null;
  deliveredAt: Date | null;
  updatedAt: Date;
}

export interface AlertDto {
  id: string;
  eventType: string;
  severity: string;
  escalation: string;
  summary: string;
  dedupeKey: string;
  details: unknown;
  businessId: string | null;
  bookId: string | null;
  createdAt: Date;
  /** One per routed channel, in channel order. */
  deliveries: AlertDeliveryDto[];
}

export function toDeliveryDto(row: typeof opsAlertDeliveries.$inferSelect): AlertDeliveryDto {
  return {
    id: row.id,
    channel: row.channel,
    status: row.status,
    attempts: row.attempts,
    lastError: row.lastError,
    lastStatusCode: row.lastStatusCode,
    nextAttemptAt: row.status === "PENDING" ? row.nextAttemptAt : null,
    deliveredAt: row.deliveredAt,
    updatedAt: row.updatedAt,
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
    eventType: row.eventType,
    severity: row.severity,
    escalation: row.escalation,
    summary: row.summary,
    dedupeKey: row.dedupeKey,
    details: row.payload,
    businessId: row.businessId,
    bookId: row.bookId,
    createdAt: row.createdAt,
    deliveries: deliveries.filter((delivery) => delivery.alertId === row.id).map(toDeliveryDto),
  }));
  return { data, total: total?.n ?? 0, limit: query.limit, offset: query.offset };
}
