import type { ChartBucket } from "./chart-types";

export { formatMoney } from "@/components/format";

// UTC on purpose: the server renders the tables and the browser draws the axes, and both must
// print the same label whatever the reader's time zone (the captions say "UTC").
const HOUR = new Intl.DateTimeFormat("en-US", { timeZone: "UTC", hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
const DAY = new Intl.DateTimeFormat("en-US", { timeZone: "UTC", month: "short", day: "numeric" });
const DAY_HOUR = new Intl.DateTimeFormat("en-US", { timeZone: "UTC", month: "short", day: "numeric", hour: "2-digit", minute: "2-digit", hourCycle: "h23" });

/** A bucket's start as its axis tick: "14:00" for hours, "Jul 3" for days. */
export function bucketTick(start: string, bucket: ChartBucket): string {
  return (bucket === "hour" ? HOUR : DAY).format(new Date(start));
}

/** A bucket's start in full, for tables and tooltips: "Jul 3, 14:00" for hours, "Jul 3" for days. */
export function bucketLabel(start: string, bucket: ChartBucket): string {
  return (bucket === "hour" ? DAY_HOUR : DAY).format(new Date(start));
}

export const formatCount = (n: number) => n.toLocaleString("en-US");
