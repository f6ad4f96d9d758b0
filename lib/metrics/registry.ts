import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";
import { db } from "@/db/client";
import { pgErrorCode } from "@/lib/errors";
import { logger } from "@/lib/log";
import { PROMO_RESULTS } from "@/db/schema";
import { ALERT_CHANNELS, FINAL_DELIVERY_STATUSES, readDomainFigures, REDEMPTION_STATUSES, type DomainFigures } from "./domain-figures";

/**
 * Bucket bounds in seconds. 0.3 and 0.8 are the redeem SLO's p95 and p99 targets (docs/slo.md): with
 * a bound exactly there, "requests slower than the target" is a bucket count, not an interpolation.
 */
const HTTP_DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.3, 0.5, 0.8, 1, 2, 5];

/** A scrape waits at most this long for the database before answering without the domain figures. */
const DOMAIN_READ_TIMEOUT_MS = 5_000;

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return Promise.race([promise, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms).unref())]);
}

function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const registers = [registry];

  const httpRequestDuration = new Histogram({
    name: "http_request_duration_seconds",
    help: "API request duration until the response headers, by route template (never the raw path), method and status",
    labelNames: ["route", "method", "status"] as const,
    buckets: HTTP_DURATION_BUCKETS,
    registers,
  });
  // Both wait for the scrape's read, so that a failure shows in the very scrape it happened in.
  const scrapeErrors: Counter = new Counter({
    name: "metrics_scrape_errors_total",
    help: "Scrapes whose domain figures could not be read from the database (those series kept their previous values)",
    registers,
    async collect() {
      await figures();
    },
  });
  const lastSuccess: Gauge = new Gauge({
    name: "metrics_domain_last_success_timestamp_seconds",
    help: "When the domain figures were last read from the database (Unix time)",
    registers,
    async collect() {
      await figures();
    },
  });

  // All collect callbacks of one scrape start in the same tick (prom-client gathers metrics with
  // Promise.all), so they share one database read; the next scrape reads again.
  let inflight: Promise<DomainFigures | null> | null = null;
  const figures = () => {
    inflight ??= withTimeout(readDomainFigures(db, DOMAIN_READ_TIMEOUT_MS), DOMAIN_READ_TIMEOUT_MS + 500)
      .then((read) => {
        lastSuccess.set(Date.now() / 1000);
        return read;
      })
      .catch((error: unknown) => {
        scrapeErrors.inc();
        // Driver messages repeat the statement and its parameters: the PostgreSQL code says enough.
        const pgCode = pgErrorCode(error);
        logger.error({ pgCode, errorName: (error as Error)?.name, error: pgCode ? undefined : (error as Error)?.message }, "metrics: domain figures could not be read");
        return null;
      })
      .finally(() => {
        inflight = null;
      });
    return inflight;
  };

  // A failed read leaves every domain series at its last value (a counter dropping to 0 would read as
  // a reset and a burst on recovery); metrics_scrape_errors_total and the success timestamp say so.
  type Sample = [labels: Record<string, string>, value: number];
  const fromDatabase = (kind: "counter" | "gauge", name: string, help: string, labelNames: readonly string[], samples: (read: DomainFigures) => Sample[]) => {
    const config = {
      name,
      help,
      labelNames,
      registers,
      async collect(this: Counter | Gauge) {
        const read = await figures();
        if (!read) return;
        this.reset();
        for (const [labels, value] of samples(read)) {
          if (this instanceof Counter) this.inc(labels, value);
          else this.set(labels, value);
        }
      },
    };
    return kind === "counter" ? new Counter(config) : new Gauge(config);
  };

  fromDatabase("counter", "promo_attempts_total", "Coupon code attempts (promo_attempts rows: internal redeem, validate, public lock and redeem) by result, as the API returns it", ["result"], (read) =>
    PROMO_RESULTS.map((result) => [{ result }, read.attemptsByResult[result]]),
  );
  fromDatabase("counter", "redemptions_total", "Ledger transitions into each redemption status (audited LOCK, REDEEM, UNLOCK, EXPIRE, REVOKE)", ["status"], (read) =>
    REDEMPTION_STATUSES.map((status) => [{ status }, read.redemptionsByStatus[status]]),
  );
  fromDatabase("counter", "promo_reservations_expired_total", "Reservations that expired unused (PR_RESERVED → PR_EXPIRED, by the expiry job or a later request)", [], (read) => [
    [{}, read.redemptionsByStatus.PR_EXPIRED],
  ]);
  fromDatabase("counter", "promo_refund_rollbacks_total", "Applied uses given back by a refund rollback (PR_APPLIED → PR_REVOKED)", [], (read) => [
    [{}, read.redemptionsByStatus.PR_REVOKED],
  ]);
  fromDatabase("counter", "promo_campaign_autopauses_total", "Campaigns paused by the brute-force guard (redemption_audit PAUSE rows by system:guard)", [], (read) => [
    [{}, read.guardAutopauses],
  ]);
  fromDatabase(
    "counter",
    "ops_alert_deliveries_total",
    "Alert deliveries that reached a final status, by channel (generic, slack, pagerduty) and status (DELIVERED, FAILED)",
    ["channel", "status"],
    (read) =>
      ALERT_CHANNELS.flatMap((channel) =>
        FINAL_DELIVERY_STATUSES.map((status): Sample => [{ channel, status }, read.deliveriesFinal.get(`${channel} ${status}`) ?? 0]),
      ),
  );
  fromDatabase("gauge", "ops_alert_deliveries_pending", "Alert deliveries waiting for their first or next attempt, by channel", ["channel"], (read) =>
    ALERT_CHANNELS.map((channel) => [{ channel }, read.deliveriesPendingByChannel.get(channel) ?? 0]),
  );
  fromDatabase(
    "counter",
    "checkout_failures_total",
    'Checkout steps that failed: stage="redeem" code attempts not ACCEPTED (internal redeem, validate, public lock and redeem); stage="apply" paid orders whose reservation had expired (payments_recovery_review_required)',
    ["stage"],
    (read) => [
      [{ stage: "redeem" }, PROMO_RESULTS.filter((result) => result !== "ACCEPTED").reduce((sum, result) => sum + read.attemptsByResult[result], 0)],
      [{ stage: "apply" }, read.applyFailures],
    ],
  );
  fromDatabase("gauge", "promo_reservation_leaks", "PR_RESERVED ledger rows past expires_at (the reservation-expiry job is behind or not running)", [], (read) => [
    [{}, read.reservationLeaks],
  ]);

  // A process counter (not read from the database): how often this instance decided a limit alone.
  const rateLimitFallbacks = new Counter({
    name: "rate_limit_fallbacks_total",
    help: 'Rate-limit checks counted in this process because Redis did not answer: reason="timeout" (slower than RATE_LIMIT_TIMEOUT_MS) or "error" (refused, down)',
    labelNames: ["reason"] as const,
    registers,
  });
  // Both series exist from the start, so that an alert on their rate sees the first fallback.
  for (const reason of ["timeout", "error"]) rateLimitFallbacks.inc({ reason }, 0);

  return { registry, httpRequestDuration, rateLimitFallbacks };
}

type Metrics = ReturnType<typeof createMetrics>;
const globalForMetrics = globalThis as unknown as { couponMetrics?: Metrics };

/**
 * The process's metrics, created once and kept on globalThis: Next dev reloads modules, and a second
 * registration of the same names would throw (or split the histograms across two registries).
 */
export function metrics(): Metrics {
  globalForMetrics.couponMetrics ??= createMetrics();
  return globalForMetrics.couponMetrics;
}
