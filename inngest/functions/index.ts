import { alertRouting } from "./alert-routing";
import { maintenanceFunction } from "./maintenance";

/** How often each maintenance job runs under Inngest (DESIGN §8). */
export const MAINTENANCE_SCHEDULES = {
  "reservation-expiry": "* * * * *",
  "campaign-rollover": "*/10 * * * *",
  "bruteforce-guard": "* * * * *",
  "refund-rollback": "*/5 * * * *",
  reconciliation: "*/30 * * * *",
  // Retries of alert deliveries that failed; new alerts are delivered at once by the routing function.
  "alerts-deliver": "* * * * *",
} as const;

/** Every Inngest function the app serves at /api/inngest. */
export const functions = [...Object.entries(MAINTENANCE_SCHEDULES).map(([name, cron]) => maintenanceFunction(name, cron)), alertRouting];
