import type { DashboardDto } from "@/lib/ops/dashboard-schemas";

export { formatCount } from "@/components/charts/format";
export { formatMoney, utcMinute } from "@/components/format";

export type DashboardWindow = DashboardDto["window"];
export type PromoResult = keyof DashboardDto["buckets"][number]["attempts"];

/** The results in the DTO's order (ACCEPTED first, then the failures as the API lists them). */
export const RESULTS = ["ACCEPTED", "INVALID", "NOT_APPLICABLE", "EXPIRED", "PAUSED", "EXHAUSTED", "RATE_LIMITED"] as const satisfies readonly PromoResult[];

/**
 * One colour per result for the stacked chart. The tables and tooltips name every result, so colour
 * is never the only cue; failures are warm, acceptance green, throttling blue.
 */
export const RESULT_COLOURS: Record<PromoResult, string> = {
  ACCEPTED: "var(--color-success)",
  INVALID: "var(--color-danger)",
  NOT_APPLICABLE: "var(--color-warning)",
  EXPIRED: "#6b7280",
  PAUSED: "#7c3aed",
  EXHAUSTED: "#c2410c",
  RATE_LIMITED: "var(--color-accent)",
};

export const WINDOW_LABELS: Record<DashboardWindow, string> = { "1h": "Last hour", "24h": "Last 24 hours", "7d": "Last 7 days" };

/** A ratio as a percentage with one decimal ("61.5%"); "—" when there was nothing to divide. */
export const percent = (ratio: number | null) => (ratio === null ? "—" : `${(ratio * 100).toFixed(1)}%`);

/** The change between two ratios in percentage points ("+2.5 pts", "−1.0 pts"); null when either is missing. */
export function pointsDelta(now: number | null, before: number | null): string | null {
  if (now === null || before === null) return null;
  const points = Math.round((now - before) * 1000) / 10;
  if (points === 0) return "±0.0 pts";
  return `${points > 0 ? "+" : "−"}${Math.abs(points).toFixed(1)} pts`;
}

// UTC on purpose, as in the seller charts: the server renders the tables and the browser draws the
// axes, and both must print the same label whatever the reader's time zone.
const TIME = new Intl.DateTimeFormat("en-US", { timeZone: "UTC", hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
const TIME_SECONDS = new Intl.DateTimeFormat("en-US", { timeZone: "UTC", hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23" });
const DAY_TIME = new Intl.DateTimeFormat("en-US", { timeZone: "UTC", month: "short", day: "numeric", hour: "2-digit", minute: "2-digit", hourCycle: "h23" });

/** A bucket's start as an axis tick: "14:05" within a day, "Jul 3, 06:00" for the 6-hour buckets of 7 days. */
export const bucketTick = (start: string, bucketMinutes: number) => (bucketMinutes >= 360 ? DAY_TIME : TIME).format(new Date(start));

/** A bucket's start in full, for tables and tooltips: "Jul 3, 14:05". */
export const bucketLabel = (start: string) => DAY_TIME.format(new Date(start));

/** An instant to the second, in UTC ("14:05:33 UTC"): when the figures were read. */
export const utcSeconds = (iso: string | number) => `${TIME_SECONDS.format(new Date(iso))} UTC`;

/** The head of a code hash: enough to tell hashes apart and to search the logs, never the whole hash. */
export const hashPrefix = (codeHash: string) => codeHash.slice(0, 12);

/** `n thing` or `n things`. */
export const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString("en-US")} ${n === 1 ? one : many}`;
