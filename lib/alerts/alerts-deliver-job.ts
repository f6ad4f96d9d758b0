import type { Job } from "@/lib/jobs/job";
import { deliverDueAlerts } from "./deliver";

/** `npm run job -- alerts-deliver`, and the Inngest cron of the same name: sends due deliveries and retries. */
export const alertsDeliverJob: Job = {
  name: "alerts-deliver",
  description: "Delivers due ops alerts from the outbox (new ones and retries); FAILED after OPS_ALERT_MAX_ATTEMPTS",
  run: async (db) => ({ ...(await deliverDueAlerts(db)) }),
};
