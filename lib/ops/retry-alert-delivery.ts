import { eq, sql } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db/client";
import { opsAlertDeliveries, opsAlerts } from "@/db/schema";
import { deliverDueAlerts } from "@/lib/alerts/deliver";
import type { Actor } from "@/lib/auth/actor";
import { AppError, loggableError } from "@/lib/errors";
import { logger } from "@/lib/log";
import type { RequestMeta } from "@/lib/request-meta";
import { wireId } from "@/lib/wire";
import { AlertDeliveryDto, toDeliveryDto } from "./list-alerts";
import { writeOpsAudit } from "./ops-audit";
import type { RetryDeliveryInput } from "./schemas";

/**
 * The answer of a retry: the delivery as it stands once the retry's own send attempt has come back
 * (DELIVERED, FAILED again, or PENDING with its next try, left to the alerts-deliver job).
 */
export const RetriedAlertDelivery = z.strictObject({
  alertId: wireId,
  delivery: AlertDeliveryDto,
});
export type RetriedAlertDelivery = z.infer<typeof RetriedAlertDelivery>;

const WHY_NOT: Record<"PENDING" | "DELIVERED", string> = {
  PENDING: "it is PENDING: it is still being tried (see nextAttemptAt)",
  DELIVERED: "it is DELIVERED already",
};

/**
 * POST /api/internal/promo/alerts/deliveries/:deliveryId/retry: a FAILED delivery goes back to
 * PENDING, due now, with its attempts reset to 0 (a full OPS_ALERT_MAX_ATTEMPTS cycle with backoff,
 * like a new alert; the attempts it had are kept in the audit row), audited in the same transaction
 * as RETRY_ALERT_DELIVERY with the operator. The FAILED → PENDING switch is a compare-and-set: of
 * concurrent retries one wins, the others (and any retry of a PENDING or DELIVERED delivery) answer
 * 409 and change nothing.
 *
 * It is then sent at once (this alert's due deliveries only); if that attempt cannot run (a channel
 * setting is invalid), the delivery stays PENDING for the alerts-deliver job. Answers the delivery
 * as it stands after that attempt.
 */
export async function retryAlertDelivery(db: Db, actor: Actor, deliveryId: string, input: RetryDeliveryInput, meta: RequestMeta): Promise<RetriedAlertDelivery> {
  const retried = await db.transaction(async (tx) => {
    // The compare-and-set. SKIP LOCKED: a concurrent retry neither waits for the winner nor holds the
    // row afterwards, where the winner's send (whose claim skips locked rows) would miss it.
    const [updated] = await tx.execute<{ alert_id: string; channel: string; last_error: string | null; last_status_code: number | null; previous_attempts: number }>(sql`
      with old as (
        select id, attempts from ${opsAlertDeliveries} where id = ${deliveryId} and status = 'FAILED' for update skip locked
      )
      update ${opsAlertDeliveries} d
      set status = 'PENDING', attempts = 0, next_attempt_at = now(), delivered_at = null, updated_at = now()
      from old where d.id = old.id
      returning d.alert_id, d.channel, d.last_error, d.last_status_code, old.attempts as previous_attempts`);
    if (!updated) {
      const [current] = await tx.select({ status: opsAlertDeliveries.status }).from(opsAlertDeliveries).where(eq(opsAlertDeliveries.id, deliveryId));
      if (!current) throw new AppError("NOT_FOUND", "Alert delivery not found", { deliveryId });
      // Still FAILED but locked: another retry holds it right now.
      if (current.status === "FAILED") throw new AppError("CONFLICT", "Another retry of this delivery is under way", { deliveryId, status: current.status });
      throw new AppError("INVALID_STATUS_TRANSITION", `Only a FAILED delivery can be retried; ${WHY_NOT[current.status]}`, { deliveryId, status: current.status });
    }
    const [alert] = await tx.select({ businessId: opsAlerts.businessId, eventType: opsAlerts.eventType }).from(opsAlerts).where(eq(opsAlerts.id, updated.alert_id));
    await writeOpsAudit(tx, actor, meta, {
      action: "RETRY_ALERT_DELIVERY",
      targetType: "alert_delivery",
      targetId: deliveryId,
      businessId: alert?.businessId ?? null,
      details: {
        alertId: updated.alert_id,
        eventType: alert?.eventType ?? null,
        channel: updated.channel,
        previousAttempts: updated.previous_attempts,
        previousStatusCode: updated.last_status_code,
        previousError: updated.last_error,
        ...(input.reason ? { reason: input.reason } : {}),
      },
    });
    return { alertId: updated.alert_id };
  });

  try {
    await deliverDueAlerts(db, { alertIds: [retried.alertId] });
  } catch (error) {
    // The retry is committed; the cron delivers it once the channel settings are fixed.
    logger.error({ deliveryId, ...loggableError(error) }, "retried alert delivery not sent now; left to the alerts-deliver job");
  }
  const [after] = await db.select().from(opsAlertDeliveries).where(eq(opsAlertDeliveries.id, deliveryId));
  return { alertId: retried.alertId, delivery: toDeliveryDto(after!) };
}
