import { alertRouting } from "./alert-routing";
import { JOB_NAMES, type JobName } from "@/lib/maintenance/registry";
import { maintenanceFunction } from "./maintenance";

/** How often each maintenance job runs under Inngest (DESIGN §8): every job, and only jobs, or it does not compile. */
export const MAINTENANCE_SCHEDULES = {
  "reservation-expiry": "* * * * *",
  "campaign-rollover": "*/10 * * * *",
  "bruteforce-guard": "* * * * *",
  "refund-rollback": "*/5 * * * *",
  reconciliation: "*/30 * * * *",
  // Background code generations whose worker stopped; a watched run is resumed by its page's poll.
  "code-generation": "* * * * *",
  // Retries of alert deliveries that failed; new alerts are delivered at once by the routing function.
  "alerts-deliver": "* * * * *",
} as const satisfies Record<JobName, string>;

/** Every Inngest function the app serves at /api/inngest. */
export const functions = [...JOB_NAMES.map((name) => maintenanceFunction(name, MAINTENANCE_SCHEDULES[name])), alertRouting];
