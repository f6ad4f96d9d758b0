import { and, asc, eq, inArray, lte, sql } from "drizzle-orm";
import type { PgUpdateSetSource } from "drizzle-orm/pg-core";
import type { Db } from "@/db/client";
import { opsAlertDeliveries, opsAlerts } from "@/db/schema";
import { settings } from "@/lib/env";
import { logger } from "@/lib/log";
import { CHANNEL_SETTING, channelRequest, channelSettings, type ChannelRequest, type ChannelSettings, type OutboxAlert } from "./channels";

export type DeliverySummary = { delivered: number; retried: number; failed: number };

export interface DeliverOptions {
  /** Only deliveries of these alerts (a caller that just raised them); others wait for the cron. */
  alertIds?: string[];
  /** At most this many deliveries in this run (default JOB_BATCH_SIZE × JOB_MAX_BATCHES). */
  limit?: number;
}

/** Requests in flight at once within a batch: enough to drain a backlog, few enough not to trip Slack's rate limit. */
const SEND_CONCURRENCY = 8;
const RETRY_BASE_MS = 30_000;
const RETRY_MAX_MS = 60 * 60_000;
/** Slack beyond the worst-case send time of a batch before its claim lapses (a runner that died mid-batch). */
const LEASE_MARGIN_MS = 60_000;
const ERROR_MAX_CHARS = 200;

/** Wait before the next attempt of a delivery that has failed `attempts` times: 30 s, 1 min, 2 min, … capped at 1 h. */
export function retryDelayMs(attempts: number): number {
  return Math.min(RETRY_BASE_MS * 2 ** Math.max(0, attempts - 1), RETRY_MAX_MS);
}

type ClaimedDelivery = { id: string; alertId: string; channel: "generic" | "slack" | "pagerduty"; attempts: number };

/**
 * Sends the due alert deliveries of the outbox (DESIGN §8) and records each outcome: DELIVERED on a
 * 2xx, otherwise retried with exponential backoff until OPS_ALERT_MAX_ATTEMPTS, then FAILED.
 *
 * Each batch is claimed in a short transaction (`FOR UPDATE SKIP LOCKED`) that moves the rows'
 * next_attempt_at past the batch's worst-case send time: concurrent runners (cron, the routing
 * function, a job that just raised an alert) never send one delivery at the same time, and the claim
 * of a runner that died comes due again by itself. HTTP happens outside any transaction; a result is
 * recorded only while the row is still the one claimed (same attempts, still PENDING).
 */
export async function deliverDueAlerts(db: Db, options: DeliverOptions = {}): Promise<DeliverySummary> {
  // Validated up front: a bad URL stops the run before it claims anything.
  const channels = channelSettings();
  const { OPS_ALERT_TIMEOUT_MS, OPS_ALERT_MAX_ATTEMPTS, JOB_BATCH_SIZE, JOB_MAX_BATCHES } = settings(
    "OPS_ALERT_TIMEOUT_MS",
    "OPS_ALERT_MAX_ATTEMPTS",
    "JOB_BATCH_SIZE",
    "JOB_MAX_BATCHES",
  );
  const summary: DeliverySummary = { delivered: 0, retried: 0, failed: 0 };
  if (options.alertIds?.length === 0) return summary;

  let remaining = Math.max(0, options.limit ?? JOB_BATCH_SIZE * JOB_MAX_BATCHES);
  for (let batch = 0; batch < JOB_MAX_BATCHES && remaining > 0; batch++) {
    const wanted = Math.min(JOB_BATCH_SIZE, remaining);
    const leaseMs = OPS_ALERT_TIMEOUT_MS * Math.ceil(wanted / SEND_CONCURRENCY) + LEASE_MARGIN_MS;
    const claimed = await claimDueDeliveries(db, wanted, leaseMs, options.alertIds);
    remaining -= claimed.length;
    if (claimed.length > 0) {
      const alerts = await loadAlerts(db, [...new Set(claimed.map((delivery) => delivery.alertId))]);
      await forEachConcurrently(claimed, SEND_CONCURRENCY, async (delivery) => {
        const outcome = await deliverOne(db, delivery, alerts.get(delivery.alertId)!, channels, OPS_ALERT_TIMEOUT_MS, OPS_ALERT_MAX_ATTEMPTS);
        if (outcome) summary[outcome]++;
      });
    }
    if (claimed.length < wanted) break;
  }
  return summary;
}

async function claimDueDeliveries(db: Db, limit: number, leaseMs: number, alertIds: string[] | undefined): Promise<ClaimedDelivery[]> {
  return db.transaction(async (tx) => {
    const due = await tx
      .select({ id: opsAlertDeliveries.id })
      .from(opsAlertDeliveries)
      .where(
        and(
          eq(opsAlertDeliveries.status, "PENDING"),
          lte(opsAlertDeliveries.nextAttemptAt, sql`now()`),
          alertIds ? inArray(opsAlertDeliveries.alertId, alertIds) : undefined,
        ),
      )
      .orderBy(asc(opsAlertDeliveries.nextAttemptAt))
      .limit(limit)
      .for("update", { skipLocked: true });
    if (due.length === 0) return [];
    return tx
      .update(opsAlertDeliveries)
      .set({ nextAttemptAt: sql`now() + ${leaseMs} * interval '1 millisecond'`, updatedAt: sql`now()` })
      .where(
        inArray(
          opsAlertDeliveries.id,
          due.map((row) => row.id),
        ),
      )
      .returning({ id: opsAlertDeliveries.id, alertId: opsAlertDeliveries.alertId, channel: opsAlertDeliveries.channel, attempts: opsAlertDeliveries.attempts });
  });
}

async function loadAlerts(db: Db, ids: string[]): Promise<Map<string, OutboxAlert>> {
  const rows = await db.select().from(opsAlerts).where(inArray(opsAlerts.id, ids));
  return new Map(
    rows.map((row) => [
      row.id,
      {
        alertId: row.id,
        event: row.eventType,
        severity: row.severity,
        escalation: row.escalation,
        summary: row.summary,
        dedupeKey: row.dedupeKey,
        details: row.payload,
        businessId: row.businessId,
        bookId: row.bookId,
        raisedAt: row.createdAt,
      },
    ]),
  );
}

/** Sends one delivery and records what happened; returns how it is counted, or null when another runner recorded it first. */
async function deliverOne(
  db: Db,
  delivery: ClaimedDelivery,
  alert: OutboxAlert,
  channels: ChannelSettings,
  timeoutMs: number,
  maxAttempts: number,
): Promise<keyof DeliverySummary | null> {
  const log = { deliveryId: delivery.id, alertId: delivery.alertId, channel: delivery.channel, event: alert.event };
  const request = channelRequest(delivery.channel, alert, channels);
  if (!request) {
    const lastError = `${CHANNEL_SETTING[delivery.channel]} is no longer set; the alert cannot be delivered to ${delivery.channel}`;
    const recorded = await record(db, delivery, { status: "FAILED", lastError });
    if (recorded) logger.error({ ...log, lastError }, "ops alert delivery failed");
    return recorded ? "failed" : null;
  }

  const result = await send(request, timeoutMs, secretsOf(channels));
  const attempts = delivery.attempts + 1;
  if (result.ok) {
    const recorded = await record(db, delivery, { status: "DELIVERED", attempts, lastStatusCode: result.status, lastError: null, deliveredAt: sql`now()` });
    if (recorded) logger.info({ ...log, attempts, statusCode: result.status }, "ops alert delivered");
    return recorded ? "delivered" : null;
  }
  if (attempts >= maxAttempts) {
    const recorded = await record(db, delivery, { status: "FAILED", attempts, lastStatusCode: result.status, lastError: result.error });
    if (recorded) logger.error({ ...log, attempts, statusCode: result.status, lastError: result.error }, "ops alert delivery failed: no attempts left");
    return recorded ? "failed" : null;
  }
  const delayMs = retryDelayMs(attempts);
  const recorded = await record(db, delivery, {
    attempts,
    lastStatusCode: result.status,
    lastError: result.error,
    nextAttemptAt: sql`now() + ${delayMs} * interval '1 millisecond'`,
  });
  if (recorded) logger.warn({ ...log, attempts, statusCode: result.status, lastError: result.error, retryInMs: delayMs }, "ops alert delivery will be retried");
  return recorded ? "retried" : null;
}

/**
 * Writes an outcome only if the row is still as claimed: when a claim lapsed and another runner sent
 * and recorded the delivery meanwhile, this runner's late result must not count a second attempt.
 */
async function record(db: Db, delivery: ClaimedDelivery, values: PgUpdateSetSource<typeof opsAlertDeliveries>) {
  const updated = await db
    .update(opsAlertDeliveries)
    .set({ ...values, updatedAt: sql`now()` })
    .where(and(eq(opsAlertDeliveries.id, delivery.id), eq(opsAlertDeliveries.status, "PENDING"), eq(opsAlertDeliveries.attempts, delivery.attempts)))
    .returning({ id: opsAlertDeliveries.id });
  return updated.length > 0;
}

type SendResult = { ok: true; status: number } | { ok: false; status: number | null; error: string };

async function send(request: ChannelRequest, timeoutMs: number, secrets: string[]): Promise<SendResult> {
  try {
    const response = await fetch(request.url, {
      method: "POST",
      headers: { "content-type": "application/json", "user-agent": "coupon-platform-alerts", ...request.headers },
      body: JSON.stringify(request.body),
      // A redirect is an answer we did not ask for: recorded as a failure rather than followed with the alert.
      redirect: "manual",
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (response.ok) {
      await response.body?.cancel();
      return { ok: true, status: response.status };
    }
    const text = await readStart(response, 500);
    return { ok: false, status: response.status, error: shortError(`HTTP ${response.status}${text ? `: ${text}` : ""}`, secrets) };
  } catch (error) {
    return { ok: false, status: null, error: shortError(describeFailure(error, timeoutMs), secrets) };
  }
}

/** The first characters of a response body (a receiver's reason), without reading a huge one whole. */
async function readStart(response: Response, maxChars: number): Promise<string> {
  if (!response.body) return "";
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let text = "";
  try {
    while (text.length < maxChars) {
      const { done, value } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
  } catch {
    // The reason is a nicety; the status code is what counts.
  } finally {
    await reader.cancel().catch(() => {});
  }
  return text;
}

function describeFailure(error: unknown, timeoutMs: number): string {
  if (error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError")) return `timed out after ${timeoutMs} ms`;
  const cause = error instanceof Error ? (error.cause as { code?: unknown } | undefined) : undefined;
  if (typeof cause?.code === "string") return `network error: ${cause.code}`;
  return error instanceof Error ? `${error.name}: ${error.message}` : "request failed";
}

/** Webhook URLs carry their token in the path, the routing key is a credential: neither goes into last_error or logs. */
function secretsOf(channels: ChannelSettings): string[] {
  return [channels.OPS_ALERT_WEBHOOK_URL, channels.OPS_ALERT_SLACK_WEBHOOK_URL, channels.OPS_ALERT_PAGERDUTY_ROUTING_KEY].filter(
    (value): value is string => Boolean(value),
  );
}

function shortError(text: string, secrets: string[]): string {
  let cleaned = text;
  for (const secret of secrets) cleaned = cleaned.replaceAll(secret, "[redacted]");
  cleaned = cleaned
    .replace(/\b[a-z][a-z0-9+.-]*:\/\/\S+/gi, "[url]")
    .replace(/\s+/g, " ")
    .trim();
  return cleaned.length > ERROR_MAX_CHARS ? `${cleaned.slice(0, ERROR_MAX_CHARS - 1)}…` : cleaned;
}

async function forEachConcurrently<T>(items: T[], concurrency: number, task: (item: T) => Promise<void>) {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await task(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
}
