/*
 * Words the ops pages print for the alert outbox and the job runs, in a module of constants and pure
 * functions: the pages and their client islands both read it, so it reaches neither the logger nor
 * the database.
 */
import type { AlertChannel, AlertEvent } from "@/lib/alerts/kinds";

/** What on-call reads instead of the event's machine name (which stays visible next to it for searches). */
export const ALERT_EVENT_LABELS: Record<AlertEvent, string> = {
  promo_campaign_auto_paused: "Campaign auto-paused",
  payments_reconciliation_diff_detected: "Reconciliation difference",
  payments_recovery_review_required: "Payment needs review",
};

export const alertEventLabel = (event: string): string => ALERT_EVENT_LABELS[event as AlertEvent] ?? humanizeKey(event);

export const CHANNEL_LABELS: Record<AlertChannel, string> = { generic: "Webhook", slack: "Slack", pagerduty: "PagerDuty" };

/** "failedAttempts" → "Failed attempts", "top_hash_users" → "Top hash users": payload and summary keys as labels. */
export function humanizeKey(key: string): string {
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/[_-]+/g, " ")
    .trim()
    .toLowerCase();
  return words ? words[0]!.toUpperCase() + words.slice(1) : key;
}

export type DetailValue = { kind: "text"; text: string } | { kind: "list"; count: number; json: string };

export interface DetailEntry {
  key: string;
  label: string;
  value: DetailValue;
}

/**
 * An alert's payload or a job run's summary as label/value rows, in the order the producer wrote
 * them: scalars as text, nested lists and objects (reconciliation's diffs) as a count with their
 * JSON for a disclosure. Producers never put a coupon code in them (lib/alerts/raise.ts): the guard
 * sends the book's prefix and code-hash counts, reconciliation and recovery send ids and amounts.
 */
export function detailEntries(details: unknown): DetailEntry[] {
  if (details === null || typeof details !== "object" || Array.isArray(details)) return [];
  return Object.entries(details as Record<string, unknown>)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => ({ key, label: humanizeKey(key), value: detailValue(value) }));
}

function detailValue(value: unknown): DetailValue {
  if (value === null) return { kind: "text", text: "—" };
  if (typeof value === "boolean") return { kind: "text", text: value ? "yes" : "no" };
  if (typeof value === "number") return { kind: "text", text: value.toLocaleString("en-US") };
  if (typeof value === "string") return { kind: "text", text: value };
  const count = Array.isArray(value) ? value.length : Object.keys(value as object).length;
  return { kind: "list", count, json: JSON.stringify(value, null, 2) };
}

/** A run's duration as people read it: "412 ms", "2.3 s", "1 min 5 s". */
export function formatRunDuration(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
  const seconds = Math.round(ms / 1000);
  return seconds % 60 ? `${Math.floor(seconds / 60)} min ${seconds % 60} s` : `${seconds / 60} min`;
}

/** A cron schedule in words for the forms the maintenance schedules use; anything else is shown as is. */
export function describeSchedule(cron: string): string {
  const fields = cron.trim().split(/\s+/);
  if (fields.length !== 5) return cron;
  const [minute, hour, dayOfMonth, month, dayOfWeek] = fields as [string, string, string, string, string];
  if (dayOfMonth !== "*" || month !== "*" || dayOfWeek !== "*") return cron;
  if (hour === "*" && minute === "*") return "every minute";
  const everyMinutes = /^\*\/([1-9][0-9]*)$/.exec(minute)?.[1];
  if (hour === "*" && everyMinutes) return `every ${everyMinutes} minutes`;
  if (hour === "*" && /^[0-9]{1,2}$/.test(minute)) return `hourly at :${minute.padStart(2, "0")}`;
  const everyHours = /^\*\/([1-9][0-9]*)$/.exec(hour)?.[1];
  if (everyHours && /^[0-9]{1,2}$/.test(minute)) return `every ${everyHours} hours at :${minute.padStart(2, "0")}`;
  if (/^[0-9]{1,2}$/.test(hour) && /^[0-9]{1,2}$/.test(minute)) return `daily at ${hour.padStart(2, "0")}:${minute.padStart(2, "0")} UTC`;
  return cron;
}

/** A timestamp to the second, in UTC: jobs run every minute, so minutes alone would not tell runs apart. */
export const utcSecond = (date: Date) => `${date.toISOString().slice(0, 19).replace("T", " ")} UTC`;
