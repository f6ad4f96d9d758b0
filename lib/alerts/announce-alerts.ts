import { createHash } from "node:crypto";
import { inngest } from "@/lib/inngest";
import { settings } from "@/lib/env";
import { logger } from "@/lib/log";
import { alertRaisedEvent } from "./schemas";

/**
 * Asks Inngest to deliver alerts a request just committed (the `alert-routing` function), so they go
 * out in seconds rather than at the next `alerts-deliver` cron run. Best-effort: without Inngest, or
 * when the send fails, it logs and returns; the outbox keeps the alerts and the cron delivers them.
 * Jobs that raise alerts call `deliverDueAlerts(db, { alertIds })` after their commit instead.
 */
export async function announceAlerts(alertIds: string[]): Promise<void> {
  if (alertIds.length === 0) return;
  try {
    const { INNGEST_EVENT_KEY, INNGEST_DEV } = settings("INNGEST_EVENT_KEY", "INNGEST_DEV");
    if (!INNGEST_EVENT_KEY && !INNGEST_DEV) return;
    // A stable id: announcing the same alerts twice (a retried request) starts one delivery run.
    const id = `ops-alert-raised:${createHash("sha256").update([...alertIds].sort().join(",")).digest("hex").slice(0, 32)}`;
    await inngest.send(alertRaisedEvent.create({ alertIds }, { id }));
  } catch (error) {
    logger.warn({ alertIds, errorName: (error as Error)?.name, error: (error as Error)?.message }, "ops alert not announced to Inngest; the alerts-deliver cron will deliver it");
  }
}
