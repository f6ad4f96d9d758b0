import { alertRouting } from "./alert-routing";
import { JOB_NAMES } from "@/lib/maintenance/registry";
import { maintenanceFunction } from "./maintenance";
import { MAINTENANCE_SCHEDULES } from "@/lib/maintenance/schedules";

// The schedules live in lib/ so the ops jobs page can judge lateness against them.
export { MAINTENANCE_SCHEDULES };

/** Every Inngest function the app serves at /api/inngest. */
export const functions = [...JOB_NAMES.map((name) => maintenanceFunction(name, MAINTENANCE_SCHEDULES[name])), alertRouting];
