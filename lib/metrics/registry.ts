import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";
import { db } from "@/db/client";
import { pgErrorCode } from "@/lib/http/errors";
import { logger } from "@/lib/log";
import { ALERT_CHANNELS, FINAL_DELIVERY_STATUSES, PROMO_RESULTS, readDomainFigures, REDEMPTION_STATUSES, type DomainFigures } from "./domain-figures";

/**
 * Bucket bounds in seconds. 0.3 and 0.8 are the redeem SLO's p95 and p99 targets (docs/slo.md): with
 * a bound exactly there, "requests slower than the target" is a bucket count, not an interpolation.
 */
export const HTTP_DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.3, 0.5, 0.8, 1, 2, 5];

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
  new Counter({
    name: "promo_attempts_total",
    help: "Internal promo redeem attempts (promo_attempts rows) by result, as the API returns it",
    labelNames: ["result"] as const,
    registers,
    async collect() {
      const read = await figures();
      if (!read) return;
      this.reset();
      for (const result of PROMO_RESULTS) this.inc({ result }, read.attemptsByResult[result]);
    },
  });
  new Counter({
    name: "redemptions_total",
    help: "Ledger transitions into each redemption status (audited LOCK, REDEEM, UNLOCK, EXPIRE, REVOKE)",
    labelNames: ["status"] as const,
    registers,
    async collect() {
      const read = await figures();
      if (!read) return;
      this.reset();
      for (const status of REDEMPTION_STATUSES) this.inc({ status }, read.redemptionsByStatus[status]);
    },
  });
  new Counter({
    name: "promo_reservations_expired_total",
    help: "Reservations that expired unused (PR_RESERVED → PR_EXPIRED, by the expiry job or a later request)",
    registers,
    async collect() {
      const read = await figures();
      if (!read) return;
      this.reset();
      this.inc(read.redemptionsByStatus.PR_EXPIRED);
    },
  });
  new Counter({
    name: "promo_refund_rollbacks_total",
    help: "Applied uses given back by a refund rollback (PR_APPLIED → PR_REVOKED)",
    registers,
    async collect() {
      const read = await figures();
      if (!read) return;
      this.reset();
      this.inc(read.redemptionsByStatus.PR_REVOKED);
    },
  });
  new Counter({
    name: "promo_campaign_autopauses_total",
    help: "Campaigns paused by the brute-force guard (redemption_audit PAUSE rows by system:guard)",
    registers,
    async collect() {
      const read = await figures();
      if (!read) return;
      this.reset();
      this.inc(read.guardAutopauses);
    },
  });
  new Counter({
    name: "ops_alert_deliveries_total",
    help: "Alert deliveries that reached a final status, by channel (generic, slack, pagerduty) and status (DELIVERED, FAILED)",
    labelNames: ["channel", "status"] as const,
    registers,
    async collect() {
      const read = await figures();
      if (!read) return;
      this.reset();
      for (const channel of ALERT_CHANNELS) {
        for (const status of FINAL_DELIVERY_STATUSES) this.inc({ channel, status }, read.deliveriesFinal.get(`${channel} ${status}`) ?? 0);
      }
    },
  });
  new Gauge({
    name: "ops_alert_deliveries_pending",
    help: "Alert deliveries waiting for their first or next attempt, by channel",
    labelNames: ["channel"] as const,
    registers,
    async collect() {
      const read = await figures();
      if (!read) return;
      this.reset();
      for (const channel of ALERT_CHANNELS) this.set({ channel }, read.deliveriesPendingByChannel.get(channel) ?? 0);
    },
  });
  new Counter({
    name: "checkout_failures_total",
    help: 'Checkout steps that failed: stage="redeem" internal redeem attempts not ACCEPTED; stage="apply" paid orders whose reservation had expired (payments_recovery_review_required)',
    labelNames: ["stage"] as const,
    registers,
    async collect() {
      const read = await figures();
      if (!read) return;
      this.reset();
      const refused = PROMO_RESULTS.filter((result) => result !== "ACCEPTED").reduce((sum, result) => sum + read.attemptsByResult[result], 0);
      this.inc({ stage: "redeem" }, refused);
      this.inc({ stage: "apply" }, read.applyFailures);
    },
  });
  new Gauge({
    name: "promo_reservation_leaks",
    help: "PR_RESERVED ledger rows past expires_at (the reservation-expiry job is behind or not running)",
    registers,
    async collect() {
      const read = await figures();
      if (!read) return;
      this.reset();
      this.set(read.reservationLeaks);
    },
  });

  return { registry, httpRequestDuration };
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
