import { db } from "@/db/client";
import { deliverDueAlerts } from "@/lib/alerts/deliver";
import { alertRaisedEvent } from "@/lib/alerts/schemas";
import { inngest } from "@/lib/inngest";

/**
 * Delivers alerts as soon as a request announces them (`announceAlerts`). Only those alerts' due
 * deliveries: a failed send is left to the `alerts-deliver` cron's backoff, not retried here at once.
 */
export const alertRouting = inngest.createFunction({ id: "alert-routing", triggers: [alertRaisedEvent] }, async ({ event, step }) =>
  step.run("deliver-alerts", () => deliverDueAlerts(db, { alertIds: event.data.alertIds })),
);
