import type { JobName } from "./registry";

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
  // Roll up hours once they close; the dashboard and the scrape read what they have not rolled yet raw.
  "attempt-rollup": "*/5 * * * *",
  "audit-rollup": "*/5 * * * *",
} as const satisfies Record<JobName, string>;

/**
 * The interval between two runs of a cron expression, for the forms the schedules use: every minute
 * (`* * * * *`), every N minutes (`*\/N * * * *`), every N hours at a fixed minute (`M *\/N * * *`,
 * `M * * * *`) and daily (`M H * * *`). Null for anything else: its lateness is not judged.
 */
export function cronIntervalMs(cron: string): number | null {
  const fields = cron.trim().split(/\s+/);
  if (fields.length !== 5) return null;
  const [minute, hour, dayOfMonth, month, dayOfWeek] = fields as [string, string, string, string, string];
  if (dayOfMonth !== "*" || month !== "*" || dayOfWeek !== "*") return null;
  const every = (field: string) => (field === "*" ? 1 : /^\*\/([1-9][0-9]*)$/.exec(field)?.[1]);
  const fixed = (field: string) => /^[0-9]{1,2}$/.test(field);
  const MINUTE = 60_000;
  if (hour === "*") {
    const n = every(minute);
    if (n !== undefined) return Number(n) * MINUTE;
    return fixed(minute) ? 60 * MINUTE : null;
  }
  if (!fixed(minute)) return null;
  const hours = every(hour);
  if (hours !== undefined) return Number(hours) * 60 * MINUTE;
  return fixed(hour) ? 24 * 60 * MINUTE : null;
}
