import { sql } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { GET as healthRoute } from "@/app/api/health/route";
import { GET as metricsRoute } from "@/app/api/metrics/route";
import { db } from "@/db/client";
import { backdateLocks } from "@/db/testing/backdate-locks";
import { opsAlertDeliveries, opsAlerts } from "@/db/schema";
import { codesOf, lock } from "@/testing/coupon-api";
import { activeBook, businessWithKey } from "@/testing/fixtures";
import { call } from "@/testing/http";
import { cartOf, internal, promoApply, promoRedeem } from "@/testing/promo-api";
import { overrideSettings, restoreSettings } from "@/testing/settings";
import { setCampaignStatus } from "@/lib/ops/campaign-status";
import { expireReservations } from "@/lib/maintenance/reservation-expiry";

type Labels = Record<string, string>;
interface Sample {
  name: string;
  labels: Labels;
  value: number;
}

/** The samples of a Prometheus text exposition (label values here never hold quotes or commas). */
function parse(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split("\n")) {
    if (!line || line.startsWith("#")) continue;
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match) throw new Error(`not a sample line: ${line}`);
    const labels: Labels = {};
    for (const pair of match[2] ? match[2].split(/,(?=\w+=")/) : []) {
      const [key, quoted] = [pair.slice(0, pair.indexOf("=")), pair.slice(pair.indexOf("=") + 1)];
      labels[key] = JSON.parse(quoted);
    }
    samples.push({ name: match[1]!, labels, value: Number(match[3]) });
  }
  return samples;
}

async function scrape(token?: string) {
  const response = await call<string>(metricsRoute as never, { path: "/api/metrics", token });
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toContain("text/plain");
  const samples = parse(response.body);
  /** The value of one series; undefined when it is absent. */
  const value = (name: string, labels: Labels = {}) =>
    samples.find((s) => s.name === name && Object.keys(labels).length === Object.keys(s.labels).length && Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value;
  return { text: response.body, samples, value };
}

type Scrape = Awaited<ReturnType<typeof scrape>>;

/**
 * The `_bucket` samples of one http_request_duration_seconds series in `le` order, after checking
 * the histogram is well formed: the series exists, counts never decrease as `le` grows, and the
 * last bucket is +Inf and equals `_count`.
 */
function buckets(scraped: Scrape, labels: Labels) {
  const series = scraped.samples
    .filter((s) => s.name === "http_request_duration_seconds_bucket" && Object.entries(labels).every(([k, v]) => s.labels[k] === v))
    .map((s) => ({ le: s.labels.le!, bound: s.labels.le === "+Inf" ? Infinity : Number(s.labels.le), value: s.value }))
    .sort((a, b) => a.bound - b.bound);
  expect(series.length, `buckets of ${JSON.stringify(labels)}`).toBeGreaterThan(1);
  for (const [i, bucket] of series.entries()) {
    expect(Number.isNaN(bucket.bound), bucket.le).toBe(false);
    if (i > 0) expect(bucket.value, `le=${bucket.le}`).toBeGreaterThanOrEqual(series[i - 1]!.value);
  }
  expect(series.at(-1)!.le).toBe("+Inf");
  const count = scraped.value("http_request_duration_seconds_count", labels);
  expect(count).toBeGreaterThan(0);
  expect(series.at(-1)!.value).toBe(count);
  return series;
}
const delta = (before: Scrape, after: Scrape, name: string, labels: Labels = {}) => (after.value(name, labels) ?? 0) - (before.value(name, labels) ?? 0);
const RESULTS = ["ACCEPTED", "INVALID", "NOT_APPLICABLE", "EXPIRED", "PAUSED", "EXHAUSTED", "RATE_LIMITED"];

afterEach(restoreSettings);

describe("GET /api/metrics", () => {
  it("counts requests by route template and the domain figures by the exact amounts", async () => {
    const { businessId, token } = await businessWithKey();
    const book = await activeBook(businessId, { codes: 3, pattern: "SECRET-{XXXXXXXX}", overrides: { discountValue: 500 } });
    const [code] = await codesOf(book.id);
    const before = await scrape();
    for (const result of RESULTS) expect(before.value("promo_attempts_total", { result })).toBe(0);

    const accepted = await promoRedeem({ userId: "ana", code, checkoutId: "chk-1", cart: cartOf(businessId) });
    expect(accepted.body.result).toBe("ACCEPTED");
    const invalid = await promoRedeem({ userId: "bob", code: "SECRET-NOPE0000", checkoutId: "chk-2", cart: cartOf(businessId) });
    expect(invalid.body.result).toBe("INVALID");
    expect((await promoApply({ checkoutId: "chk-1", orderId: "order-1" })).status).toBe(200);
    // Error routes with the code in the path: a real code someone else holds, a code that is also the
    // start of a path segment ("co" of /coupons), an unknown code.
    const lockBody = { userId: "mallory", checkoutId: "chk-x" };
    expect((await lock({ token }, code!, lockBody)).status).toBe(409);
    expect((await lock({ token }, "co", lockBody)).status).toBe(404);
    expect((await lock({ token }, "SECRET-NOPE0000", lockBody)).status).toBe(404);
    expect((await lock({}, "SECRET-NOPE0000", lockBody)).status).toBe(401);

    const after = await scrape();
    for (const result of RESULTS) {
      // INVALID: the internal redeem's unknown code, and the three public locks that reached a code lookup (the 401 did not).
      expect(delta(before, after, "promo_attempts_total", { result }), result).toBe(result === "ACCEPTED" ? 1 : result === "INVALID" ? 4 : 0);
    }
    expect(delta(before, after, "redemptions_total", { status: "PR_RESERVED" })).toBe(1);
    expect(delta(before, after, "redemptions_total", { status: "PR_APPLIED" })).toBe(1);
    expect(delta(before, after, "redemptions_total", { status: "PR_RELEASED" })).toBe(0);
    expect(delta(before, after, "checkout_failures_total", { stage: "redeem" })).toBe(4);
    expect(delta(before, after, "checkout_failures_total", { stage: "apply" })).toBe(0);

    const count = (route: string, method: string, status: string) => ["http_request_duration_seconds_count", { route, method, status }] as const;
    expect(delta(before, after, ...count("/api/internal/promo/redeem", "POST", "200"))).toBe(2);
    expect(delta(before, after, ...count("/api/internal/promo/apply", "POST", "200"))).toBe(1);
    expect(delta(before, after, ...count("/api/coupons/:code/lock", "POST", "409"))).toBe(1);
    expect(delta(before, after, ...count("/api/coupons/:code/lock", "POST", "404"))).toBe(2);
    expect(delta(before, after, ...count("/api/coupons/:code/lock", "POST", "401"))).toBe(1);
    // The SLO's bounds are buckets of their own, in a well-formed histogram.
    const redeemBuckets = buckets(after, { route: "/api/internal/promo/redeem", method: "POST", status: "200" });
    expect(redeemBuckets.map((b) => b.le)).toEqual(expect.arrayContaining(["0.3", "0.8", "+Inf"]));
    for (const { labels } of after.samples.filter((s) => s.name === "http_request_duration_seconds_count")) buckets(after, labels);

    const routes = new Set(after.samples.map((s) => s.labels.route).filter(Boolean));
    expect(routes.has("/api/metrics")).toBe(true); // the first scrape, observed after it answered
    for (const route of routes) {
      expect(route).not.toContain(code!);
      expect(route).not.toMatch(/SECRET|\/co\b|:codeupons/i);
    }
  });

  it("reports leaks, expiries, guard pauses and alert deliveries from the database", async () => {
    const { businessId } = await businessWithKey();
    const book = await activeBook(businessId, { codes: 2, overrides: { discountValue: 500 } });
    const [code] = await codesOf(book.id);
    const before = await scrape();
    expect(before.value("promo_reservation_leaks")).toBe(0);

    expect((await promoRedeem({ userId: "ana", code, checkoutId: "chk-1", cart: cartOf(businessId) })).body.result).toBe("ACCEPTED");
    expect(await backdateLocks(db, { businessId, checkoutId: "chk-1" })).toEqual({ locks: 1, reservations: 1 });
    const leaking = await scrape();
    expect(leaking.value("promo_reservation_leaks")).toBe(1);

    expect(await expireReservations(db)).toMatchObject({ expired: 1 });
    await db.transaction((tx) => setCampaignStatus(tx, { kind: "system", name: "guard" }, { ip: null, userAgent: null }, { bookId: book.id, status: "PAUSED" }));
    // An ops pause is not an autopause.
    const other = await activeBook(businessId, { codes: 1 });
    await db.transaction((tx) => setCampaignStatus(tx, { kind: "internal" }, { ip: null, userAgent: null }, { bookId: other.id, status: "PAUSED" }));
    const [alert] = await db
      .insert(opsAlerts)
      .values({ eventType: "promo_campaign_auto_paused", severity: "warning", escalation: "ops_l2", dedupeKey: "k1", summary: "s" })
      .returning();
    await db.insert(opsAlertDeliveries).values([
      { alertId: alert!.id, channel: "slack", status: "DELIVERED" },
      { alertId: alert!.id, channel: "generic", status: "FAILED" },
      { alertId: alert!.id, channel: "pagerduty", status: "PENDING" },
    ]);

    const after = await scrape();
    expect(after.value("promo_reservation_leaks")).toBe(0);
    expect(delta(before, after, "promo_reservations_expired_total")).toBe(1);
    expect(delta(before, after, "redemptions_total", { status: "PR_EXPIRED" })).toBe(1);
    expect(delta(before, after, "promo_campaign_autopauses_total")).toBe(1);
    expect(delta(before, after, "promo_refund_rollbacks_total")).toBe(0);
    expect(after.value("ops_alert_deliveries_total", { channel: "slack", status: "DELIVERED" })).toBe(1);
    expect(after.value("ops_alert_deliveries_total", { channel: "generic", status: "FAILED" })).toBe(1);
    expect(after.value("ops_alert_deliveries_total", { channel: "pagerduty", status: "DELIVERED" })).toBe(0);
    expect(after.value("ops_alert_deliveries_pending", { channel: "pagerduty" })).toBe(1);
    expect(after.value("ops_alert_deliveries_pending", { channel: "slack" })).toBe(0);
    // A process counter: both reasons are exported from the start (the limiter tests count them).
    for (const reason of ["timeout", "error"]) expect(after.value("rate_limit_fallbacks_total", { reason }), reason).toBeGreaterThanOrEqual(0);
  });

  it("counts an apply that came after its reservation expired as a checkout failure", async () => {
    const { businessId } = await businessWithKey();
    const book = await activeBook(businessId, { codes: 1, overrides: { discountValue: 500 } });
    const [code] = await codesOf(book.id);
    expect((await promoRedeem({ userId: "ana", code, checkoutId: "chk-1", cart: cartOf(businessId) })).body.result).toBe("ACCEPTED");
    expect(await backdateLocks(db, { businessId, checkoutId: "chk-1" })).toEqual({ locks: 1, reservations: 1 });
    const before = await scrape();
    expect((await promoApply({ checkoutId: "chk-1", orderId: "order-1" })).status).toBe(409);
    const after = await scrape();
    expect(delta(before, after, "checkout_failures_total", { stage: "apply" })).toBe(1);
    expect(delta(before, after, "checkout_failures_total", { stage: "redeem" })).toBe(0);
  });

  it("times /api/health too", async () => {
    const before = await scrape();
    expect((await call(healthRoute as never, { path: "/api/health" })).status).toBe(200);
    const after = await scrape();
    expect(delta(before, after, "http_request_duration_seconds_count", { route: "/api/health", method: "GET", status: "200" })).toBe(1);
  });

  it("answers without the domain figures when the database read fails, and counts the failure", async () => {
    const before = await scrape();
    // A migration holding a table lock: the scrape's read gives up (lock_timeout) instead of waiting.
    let release!: () => void;
    let locked!: () => void;
    const isLocked = new Promise<void>((resolve) => (locked = resolve));
    const holder = db.transaction(async (tx) => {
      await tx.execute(sql`lock table ops_alerts in access exclusive mode`);
      locked();
      await new Promise<void>((resolve) => (release = resolve));
    });
    await isLocked;
    try {
      const failed = await scrape();
      expect(delta(before, failed, "metrics_scrape_errors_total")).toBe(1);
      expect(failed.value("http_request_duration_seconds_count", { route: "/api/metrics", method: "GET", status: "200" })).toBeGreaterThan(0);
      // Counters keep their last values instead of dropping to zero (which would read as a reset).
      expect(failed.value("promo_attempts_total", { result: "ACCEPTED" })).toBe(before.value("promo_attempts_total", { result: "ACCEPTED" }));
      expect(failed.value("metrics_domain_last_success_timestamp_seconds")).toBe(before.value("metrics_domain_last_success_timestamp_seconds"));
    } finally {
      release();
      await holder;
    }
    const recovered = await scrape();
    expect(delta(before, recovered, "metrics_scrape_errors_total")).toBe(1);
    expect(recovered.value("metrics_domain_last_success_timestamp_seconds")).toBeGreaterThan(before.value("metrics_domain_last_success_timestamp_seconds")!);
  });

  it("requires METRICS_TOKEN as a bearer token when it is set", async () => {
    overrideSettings({ METRICS_TOKEN: "metrics-token-0123456789" });
    const none = await call(metricsRoute as never, { path: "/api/metrics" });
    expect(none.status).toBe(401);
    expect(none.body).toMatchObject({ code: "UNAUTHORIZED", error: expect.any(String) });
    expect((await call(metricsRoute as never, { path: "/api/metrics", token: "metrics-token-0123456780" })).status).toBe(401);
    expect((await call(metricsRoute as never, { path: "/api/metrics", token: "metrics-token-0123456789-and-more" })).status).toBe(401);
    // The internal API token is not the metrics token.
    expect((await call(metricsRoute as never, { path: "/api/metrics", token: internal().token })).status).toBe(401);
    const allowed = await scrape("metrics-token-0123456789");
    expect(allowed.value("promo_reservation_leaks")).toBe(0);
  });
});
