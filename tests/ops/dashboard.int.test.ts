import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { GET as dashboardRoute } from "@/app/api/internal/promo/dashboard/route";
import { db } from "@/db/client";
import { couponAssignments, promoAttempts, redemptionAudit, redemptions } from "@/db/schema";
import { codesOf } from "@/testing/coupon-api";
import { activeBook, businessWithKey } from "@/testing/fixtures";
import { call, sessionCookie } from "@/testing/http";
import { internal } from "@/testing/promo-api";
import type { PromoResult } from "@/db/schema";
import { hashCode } from "@/lib/promo/hashing";
import { getDashboard, rate } from "@/lib/ops/dashboard";
import type { DashboardDto } from "@/lib/ops/dashboard-schemas";

const minutesAgo = (minutes: number) => sql`now() - make_interval(mins => ${minutes}::int)`;
const HOUR = 60;

const dashboard = (query: string, who: { token?: string; cookie?: string } = internal()) =>
  call<DashboardDto>(dashboardRoute, { method: "GET", path: `/api/internal/promo/dashboard${query ? `?${query}` : ""}`, ...who });

type Attempt = {
  minutesAgo: number;
  result: PromoResult;
  reason: string;
  code: string;
  user: string;
  ip?: string;
  businessId: string;
  bookId?: string;
  attributedBookId?: string;
  codePrefix?: string;
};

type LedgerRow = {
  status: "PR_RESERVED" | "PR_APPLIED" | "PR_RELEASED" | "PR_EXPIRED" | "PR_REVOKED";
  reservedMinutesAgo: number;
  /** Minutes until the hold ends (negative: in the past); null for a redeem straight from ASSIGNED. */
  expiresIn: number | null;
  business: "a" | "b";
};

/**
 * The known scenario: attempts of every result, reasons, users, ips and code hashes at chosen
 * distances from the database's now(), ledger rows in every status, pauses by the guard and by ops,
 * and rows outside the windows. Inside-1h rows sit at most 54 minutes back and inside-24h rows at
 * most 22 hours back: the window starts on a bucket boundary, so it always covers those.
 */
async function scenario() {
  const a = await businessWithKey("alpha");
  const b = await businessWithKey("beta");
  const spring = await activeBook(a.businessId, { codes: 2, pattern: "SPRING-{XXXXXX}", overrides: { name: "Spring", codePrefix: "SPRING-" } });
  const bravo = await activeBook(b.businessId, { codes: 1, pattern: "BRAVO-{XXXXXX}", overrides: { name: "Bravo", codePrefix: "BRAVO-" } });
  const guardPaused = await activeBook(a.businessId, { codes: 0, overrides: { name: "Guarded", status: "PAUSED", pausedBy: "system:guard" } });
  const opsPaused = await activeBook(a.businessId, { codes: 0, overrides: { name: "Held by ops", status: "PAUSED", pausedBy: "ops:ops-1" } });
  const longPaused = await activeBook(a.businessId, { codes: 0, overrides: { name: "Long paused", status: "PAUSED", pausedBy: "ops:ops-2" } });
  const resumed = await activeBook(a.businessId, { codes: 0, overrides: { name: "Resumed" } });
  const pausedButLapsed = await activeBook(a.businessId, {
    codes: 0,
    overrides: { name: "Lapsed", status: "PAUSED", pausedBy: "system:guard", expiresAt: new Date(Date.now() - 60_000) },
  });

  await db.insert(redemptionAudit).values([
    { businessId: a.businessId, bookId: guardPaused.id, action: "PAUSE", actor: "system:guard", at: minutesAgo(10) },
    { businessId: a.businessId, bookId: opsPaused.id, action: "PAUSE", actor: "ops:ops-1", at: minutesAgo(3 * HOUR), details: { reason: "Leaked on a forum" } },
    { businessId: a.businessId, bookId: longPaused.id, action: "PAUSE", actor: "ops:ops-2", at: minutesAgo(3 * 24 * HOUR) },
    // Paused and resumed inside the window: not paused now, so not listed.
    { businessId: a.businessId, bookId: resumed.id, action: "PAUSE", actor: "system:guard", at: minutesAgo(20) },
    { businessId: a.businessId, bookId: resumed.id, action: "UNPAUSE", actor: "ops:ops-1", at: minutesAgo(15) },
    { businessId: a.businessId, bookId: pausedButLapsed.id, action: "PAUSE", actor: "system:guard", at: minutesAgo(5) },
  ]);

  const H1 = hashCode("SPRING-NOPE01");
  const H2 = hashCode("SPRX99");
  const attempts: Attempt[] = [];
  const add = (n: number, attempt: Attempt) => {
    for (let i = 0; i < n; i++) attempts.push(attempt);
  };
  const A = a.businessId;
  // Inside the last hour.
  add(1, { minutesAgo: 5, result: "ACCEPTED", reason: "OK", code: "SPRING-AAA1", user: "u1", ip: "ip1", businessId: A, bookId: spring.id });
  add(1, { minutesAgo: 15, result: "ACCEPTED", reason: "OK", code: "SPRING-AAA2", user: "u2", ip: "ip2", businessId: A, bookId: spring.id });
  add(1, { minutesAgo: 25, result: "ACCEPTED", reason: "OK", code: "SPRX99", user: "u10", ip: "ip10", businessId: A }); // accepted: no failure of H2
  add(1, { minutesAgo: 3, result: "INVALID", reason: "CODE_NOT_FOUND", code: "SPRING-NOPE01", user: "u1", ip: "ip1", businessId: A, attributedBookId: spring.id, codePrefix: "SPRING-" });
  add(1, { minutesAgo: 7, result: "INVALID", reason: "CODE_NOT_FOUND", code: "SPRING-NOPE01", user: "u2", ip: "ip2", businessId: A, attributedBookId: spring.id, codePrefix: "SPRING-" });
  add(4, { minutesAgo: 12, result: "INVALID", reason: "CODE_NOT_FOUND", code: "SPRX99", user: "u5", ip: "ip5", businessId: A, codePrefix: "SPRX" });
  add(1, { minutesAgo: 54, result: "INVALID", reason: "CODE_NOT_FOUND", code: "SPRX99", user: "u5", businessId: A, codePrefix: "SPRX" });
  add(1, { minutesAgo: 33, result: "INVALID", reason: "CODE_DISABLED", code: "SPRING-DIS1", user: "u2", ip: "ip2", businessId: A, bookId: spring.id });
  // The same code in another business is another code: a group of its own, under the rule.
  add(1, { minutesAgo: 20, result: "INVALID", reason: "CODE_NOT_FOUND", code: "SPRING-NOPE01", user: "u12", ip: "ip12", businessId: b.businessId });
  // One shopper, four failures: one short of the rule.
  add(4, { minutesAgo: 40, result: "NOT_APPLICABLE", reason: "MIN_ORDER_AMOUNT", code: "SPRING-MIN1", user: "u6", ip: "ip6", businessId: A, bookId: spring.id });
  add(1, { minutesAgo: 45, result: "EXPIRED", reason: "BOOK_EXPIRED", code: "SPRING-OLD1", user: "u7", businessId: A, bookId: spring.id });
  add(1, { minutesAgo: 50, result: "PAUSED", reason: "BOOK_PAUSED", code: "SPRING-PSD1", user: "u1", businessId: A, bookId: spring.id });
  add(2, { minutesAgo: 2, result: "RATE_LIMITED", reason: "USER_LIMIT", code: "SPRING-RL01", user: "u8", ip: "ip8", businessId: A });
  // Inside 24 hours, outside the last hour.
  add(1, { minutesAgo: 3 * HOUR, result: "INVALID", reason: "CODE_NOT_FOUND", code: "SPRING-NOPE01", user: "u9", ip: "ip9", businessId: A, attributedBookId: spring.id, codePrefix: "SPRING-" });
  add(2, { minutesAgo: 5 * HOUR, result: "EXHAUSTED", reason: "BOOK_BUDGET", code: "SPRING-BUD1", user: "u11", ip: "ip11", businessId: A, bookId: spring.id });
  add(1, { minutesAgo: 10 * HOUR, result: "ACCEPTED", reason: "OK", code: "SPRING-AAA3", user: "u3", businessId: A, bookId: spring.id });
  // Inside 7 days, outside 24 hours; then outside every window.
  add(3, { minutesAgo: 30 * HOUR, result: "INVALID", reason: "CODE_NOT_FOUND", code: "SPRING-OLD9", user: "u13", businessId: A });
  add(1, { minutesAgo: 2 * 24 * HOUR, result: "ACCEPTED", reason: "OK", code: "SPRING-AAA4", user: "u3", businessId: A, bookId: spring.id });
  add(5, { minutesAgo: 8 * 24 * HOUR, result: "INVALID", reason: "CODE_NOT_FOUND", code: "SPRING-ANC1", user: "u14", businessId: A });
  // A week and a few minutes back: last week's side of the 1h and 24h windows only.
  add(2, { minutesAgo: 7 * 24 * HOUR + 10, result: "ACCEPTED", reason: "OK", code: "SPRING-WK01", user: "u15", businessId: A, bookId: spring.id });
  add(1, { minutesAgo: 7 * 24 * HOUR + 12, result: "INVALID", reason: "CODE_NOT_FOUND", code: "SPRING-WK02", user: "u15", businessId: A });
  add(1, { minutesAgo: 7 * 24 * HOUR + 3 * HOUR, result: "ACCEPTED", reason: "OK", code: "SPRING-WK03", user: "u16", businessId: A, bookId: spring.id });

  const storedAttempts = await db
    .insert(promoAttempts)
    .values(
      attempts.map((x) => ({
        businessId: x.businessId,
        normalizedCodeHash: hashCode(x.code),
        codePrefix: x.codePrefix ?? x.code.slice(0, 4),
        bookId: x.bookId ?? null,
        attributedBookId: x.attributedBookId ?? null,
        userId: x.user,
        ipHash: x.ip ? `iphash-${x.ip}` : null,
        result: x.result,
        reason: x.reason,
        attemptedAt: minutesAgo(x.minutesAgo),
      })),
    )
    .returning({ result: promoAttempts.result, at: promoAttempts.attemptedAt, hash: promoAttempts.normalizedCodeHash, businessId: promoAttempts.businessId });

  const [springCode] = await codesOf(spring.id);
  const [bravoCode] = await codesOf(bravo.id);
  const holders = await db
    .insert(couponAssignments)
    .values([
      { businessId: a.businessId, bookId: spring.id, codeId: (await codeId(springCode!))!, userId: "u1" },
      { businessId: b.businessId, bookId: bravo.id, codeId: (await codeId(bravoCode!))!, userId: "u12" },
    ])
    .returning();
  const ledger: LedgerRow[] = [
    // Reserved in the last hour.
    { status: "PR_APPLIED", reservedMinutesAgo: 10, expiresIn: -5, business: "a" },
    { status: "PR_REVOKED", reservedMinutesAgo: 20, expiresIn: -15, business: "a" },
    { status: "PR_RELEASED", reservedMinutesAgo: 30, expiresIn: -25, business: "a" },
    { status: "PR_EXPIRED", reservedMinutesAgo: 40, expiresIn: -35, business: "a" },
    // Past its hold, not yet tidied by the expiry job: expired already.
    { status: "PR_RESERVED", reservedMinutesAgo: 45, expiresIn: -40, business: "a" },
    { status: "PR_RESERVED", reservedMinutesAgo: 2, expiresIn: 3, business: "a" },
    { status: "PR_RESERVED", reservedMinutesAgo: 1, expiresIn: 4, business: "b" },
    // A redeem straight from ASSIGNED: consumption without a reservation.
    { status: "PR_APPLIED", reservedMinutesAgo: 6, expiresIn: null, business: "a" },
    // Reserved in the last 24 hours, outside the last hour.
    { status: "PR_APPLIED", reservedMinutesAgo: 3 * HOUR, expiresIn: -(3 * HOUR - 5), business: "a" },
    { status: "PR_RELEASED", reservedMinutesAgo: 5 * HOUR, expiresIn: -(5 * HOUR - 5), business: "a" },
    // Outside 24 hours.
    { status: "PR_APPLIED", reservedMinutesAgo: 30 * HOUR, expiresIn: -(30 * HOUR - 5), business: "a" },
  ];
  const storedLedger = await db
    .insert(redemptions)
    .values(
      ledger.map((row, i) => {
        const holder = holders[row.business === "a" ? 0 : 1]!;
        const applied = row.status === "PR_APPLIED" || row.status === "PR_REVOKED";
        return {
          businessId: holder.businessId,
          assignmentId: holder.id,
          bookId: holder.bookId,
          userId: holder.userId,
          checkoutId: `chk-${i}`,
          status: row.status,
          discountAmount: 500,
          currency: "USD",
          reservedAt: minutesAgo(row.reservedMinutesAgo),
          expiresAt: row.expiresIn === null ? null : minutesAgo(-row.expiresIn),
          appliedAt: applied ? minutesAgo(row.reservedMinutesAgo - 1) : null,
          revokedAt: row.status === "PR_REVOKED" ? minutesAgo(1) : null,
        };
      }),
    )
    .returning({ reservedAt: redemptions.reservedAt, expiresAt: redemptions.expiresAt, status: redemptions.status });

  return { a, b, spring, guardPaused, opsPaused, longPaused, H1, H2, storedAttempts, storedLedger };
}

async function codeId(code: string) {
  const [row] = await db.execute<{ id: string }>(sql`select id from coupon_codes where code = ${code}`);
  return row?.id;
}

const WEEK_MS = 7 * 24 * 3_600_000;

/**
 * Buckets computed independently from the stored timestamps: index = floor((t − from) / step); a
 * reservation's fate read at `to`; last week's attempts placed 7 days forward, up to `to`.
 */
function expectedBuckets(
  body: DashboardDto,
  attempts: { result: PromoResult; at: Date }[],
  ledger: { reservedAt: Date | null; expiresAt: Date | null; status: string }[],
) {
  const from = Date.parse(body.from);
  const step = body.bucketMinutes * 60_000;
  const buckets = body.buckets.map((bucket) => ({
    start: bucket.start,
    attempts: { ACCEPTED: 0, INVALID: 0, NOT_APPLICABLE: 0, EXPIRED: 0, PAUSED: 0, EXHAUSTED: 0, RATE_LIMITED: 0 } as Record<PromoResult, number>,
    reserved: 0,
    applied: 0,
    released: 0,
    expired: 0,
    live: 0,
    lastWeek: { total: 0, accepted: 0 },
  }));
  const to = Date.parse(body.to);
  const indexOf = (at: Date) => Math.floor((at.getTime() - from) / step);
  for (const attempt of attempts) {
    const i = indexOf(attempt.at);
    if (i >= 0 && i < buckets.length) buckets[i]!.attempts[attempt.result]++;
    const shifted = new Date(attempt.at.getTime() + WEEK_MS);
    const j = indexOf(shifted);
    if (j >= 0 && j < buckets.length && shifted.getTime() <= to) {
      buckets[j]!.lastWeek.total++;
      if (attempt.result === "ACCEPTED") buckets[j]!.lastWeek.accepted++;
    }
  }
  for (const row of ledger) {
    if (!row.reservedAt || !row.expiresAt) continue;
    const i = indexOf(row.reservedAt);
    if (i < 0 || i >= buckets.length) continue;
    const bucket = buckets[i]!;
    bucket.reserved++;
    if (row.status === "PR_APPLIED" || row.status === "PR_REVOKED") bucket.applied++;
    if (row.status === "PR_RELEASED") bucket.released++;
    const pastHold = row.expiresAt.getTime() <= to;
    if (row.status === "PR_EXPIRED" || (row.status === "PR_RESERVED" && pastHold)) bucket.expired++;
    if (row.status === "PR_RESERVED" && !pastHold) bucket.live++;
  }
  return buckets;
}

function expectAlignedBuckets(body: DashboardDto, count: number, bucketMinutes: number) {
  const step = bucketMinutes * 60_000;
  expect(body.bucketMinutes).toBe(bucketMinutes);
  expect(body.buckets).toHaveLength(count);
  expect(body.buckets[0]!.start).toBe(body.from);
  expect(Date.parse(body.from) % step).toBe(0);
  body.buckets.forEach((bucket, i) => expect(Date.parse(bucket.start)).toBe(Date.parse(body.from) + i * step));
  // The last bucket is the current one: it holds `to`.
  const lastStart = Date.parse(body.buckets.at(-1)!.start);
  expect(Date.parse(body.to)).toBeGreaterThanOrEqual(lastStart);
  expect(Date.parse(body.to)).toBeLessThan(lastStart + step);
}

const failure = (body: DashboardDto, result: PromoResult) => body.failures.find((f) => f.result === result);

describe("GET /api/internal/promo/dashboard", () => {
  it("window=1h: exact acceptance, conversion, failure mix, guard indicators and 12 five-minute buckets", async () => {
    const s = await scenario();
    const res = await dashboard("window=1h");
    expect(res.status).toBe(200);
    const body = res.body;

    expect(body.window).toBe("1h");
    expect(body.businessId).toBeNull();
    expectAlignedBuckets(body, 12, 5);
    // 3 accepted of 20 attempts.
    expect(body.attempts).toEqual({ total: 20, accepted: 3, acceptanceRate: 0.15 });
    // 7 reservations (the direct redeem is none): 1 applied + 1 applied then revoked; 1 released;
    // 1 expired by the job + 1 past its hold; 2 live (one per business).
    expect(body.reservations).toEqual({ reserved: 7, applied: 2, conversionRate: 0.2857, revoked: 1, released: 1, expired: 2, live: 2 });
    // A week back: the 2 accepted and 1 invalid attempt 7 days and 10–12 minutes ago.
    expect(body.lastWeek.attempts).toEqual({ total: 3, accepted: 2, acceptanceRate: 0.6667 });
    expect(Date.parse(body.from) - Date.parse(body.lastWeek.from)).toBe(WEEK_MS);
    // The applied use and the direct redeem; the revoked one gave its discount back.
    expect(body.discountGranted).toEqual([{ currency: "USD", amount: 1000, uses: 2 }]);
    expect(body.failures).toEqual([
      {
        result: "INVALID",
        count: 9,
        share: 0.45,
        reasons: [
          { reason: "CODE_NOT_FOUND", count: 8 },
          { reason: "CODE_DISABLED", count: 1 },
        ],
      },
      { result: "NOT_APPLICABLE", count: 4, share: 0.2, reasons: [{ reason: "MIN_ORDER_AMOUNT", count: 4 }] },
      { result: "EXPIRED", count: 1, share: 0.05, reasons: [{ reason: "BOOK_EXPIRED", count: 1 }] },
      { result: "PAUSED", count: 1, share: 0.05, reasons: [{ reason: "BOOK_PAUSED", count: 1 }] },
      { result: "EXHAUSTED", count: 0, share: 0, reasons: [] },
      { result: "RATE_LIMITED", count: 2, share: 0.1, reasons: [{ reason: "USER_LIMIT", count: 2 }] },
    ]);

    const lastSeen = (hash: string, businessId: string) =>
      new Date(Math.max(...s.storedAttempts.filter((x) => x.hash === hash && x.businessId === businessId && x.result !== "ACCEPTED" && Date.parse(body.from) <= x.at.getTime()).map((x) => x.at.getTime()))).toISOString();
    expect(body.guard.candidateRule).toEqual({ minDistinctUsers: 2, minFailedAttempts: 5 });
    // H2: 5 failures by one shopper (its accepted attempt does not count); H1: 2 shoppers. H1 in
    // the other business (1 failure) and the 4 NOT_APPLICABLE of one shopper stay under the rule.
    expect(body.guard.candidateAbusiveHashes).toEqual([
      { codeHash: s.H2, codePrefix: "SPRX", businessId: s.a.businessId, bookId: null, attributedBookId: null, attempts: 5, distinctUsers: 1, distinctIps: 1, lastSeen: lastSeen(s.H2, s.a.businessId) },
      { codeHash: s.H1, codePrefix: "SPRING-", businessId: s.a.businessId, bookId: null, attributedBookId: s.spring.id, attempts: 2, distinctUsers: 2, distinctIps: 2, lastSeen: lastSeen(s.H1, s.a.businessId) },
    ]);
    expect(JSON.stringify(body)).not.toContain("SPRING-NOPE01");
    expect(JSON.stringify(body)).not.toContain("SPRX99");
    // Guarded, Held by ops and Long paused; Lapsed is past expiresAt, Resumed is active again.
    expect(body.guard.pausedCampaigns.total).toBe(3);
    expect(body.guard.pausedCampaigns.recentlyPaused).toEqual([
      { bookId: s.guardPaused.id, name: "Guarded", businessId: s.a.businessId, pausedBy: "system:guard", pausedAt: expect.any(String), reason: null },
    ]);

    expect(body.buckets).toEqual(expectedBuckets(body, s.storedAttempts, s.storedLedger));
    const sum = (pick: (b: DashboardDto["buckets"][number]) => number) => body.buckets.reduce((n, b) => n + pick(b), 0);
    expect(sum((b) => Object.values(b.attempts).reduce((n, v) => n + v, 0))).toBe(20);
    expect(sum((b) => b.reserved)).toBe(7);
    expect(sum((b) => b.applied)).toBe(2);
  });

  it("window=24h (the default): the same figures over 24 hourly buckets, and 7d has 28 six-hour buckets", async () => {
    const s = await scenario();
    const res = await dashboard("");
    expect(res.status).toBe(200);
    const body = res.body;

    expect(body.window).toBe("24h");
    expectAlignedBuckets(body, 24, 60);
    expect(body.attempts).toEqual({ total: 24, accepted: 4, acceptanceRate: 0.1667 });
    expect(body.reservations).toEqual({ reserved: 9, applied: 3, conversionRate: 0.3333, revoked: 1, released: 2, expired: 2, live: 2 });
    expect(body.failures.map((f) => [f.result, f.count, f.share])).toEqual([
      ["INVALID", 10, 0.4167],
      ["NOT_APPLICABLE", 4, 0.1667],
      ["EXPIRED", 1, 0.0417],
      ["PAUSED", 1, 0.0417],
      ["EXHAUSTED", 2, 0.0833],
      ["RATE_LIMITED", 2, 0.0833],
    ]);
    expect(failure(body, "INVALID")!.reasons).toEqual([
      { reason: "CODE_NOT_FOUND", count: 9 },
      { reason: "CODE_DISABLED", count: 1 },
    ]);
    expect(failure(body, "EXHAUSTED")!.reasons).toEqual([{ reason: "BOOK_BUDGET", count: 2 }]);
    expect(body.guard.candidateAbusiveHashes.map((c) => [c.codeHash, c.attempts, c.distinctUsers, c.distinctIps])).toEqual([
      [s.H2, 5, 1, 1],
      [s.H1, 3, 3, 3],
    ]);
    expect(body.guard.pausedCampaigns.total).toBe(3);
    expect(body.guard.pausedCampaigns.recentlyPaused.map((p) => [p.bookId, p.pausedBy, p.reason])).toEqual([
      [s.guardPaused.id, "system:guard", null],
      [s.opsPaused.id, "ops:ops-1", "Leaked on a forum"],
    ]);
    expect(body.lastWeek.attempts).toEqual({ total: 4, accepted: 3, acceptanceRate: 0.75 });
    expect(body.discountGranted).toEqual([{ currency: "USD", amount: 1500, uses: 3 }]);
    expect(body.buckets).toEqual(expectedBuckets(body, s.storedAttempts, s.storedLedger));

    const week = (await dashboard("window=7d")).body;
    expectAlignedBuckets(week, 28, 360);
    // Plus the 30-hour and 2-day rows; the 8-day ones stay out.
    expect(week.attempts).toEqual({ total: 28, accepted: 5, acceptanceRate: 0.1786 });
    expect(week.reservations.reserved).toBe(10);
    expect(week.guard.pausedCampaigns.recentlyPaused.map((p) => p.bookId)).toEqual([s.guardPaused.id, s.opsPaused.id, s.longPaused.id]);
    expect(week.buckets).toEqual(expectedBuckets(week, s.storedAttempts, s.storedLedger));
  });

  it("businessId narrows every figure to one business", async () => {
    const s = await scenario();
    const body = (await dashboard(`window=1h&businessId=${s.b.businessId}`)).body;
    expect(body.businessId).toBe(s.b.businessId);
    expect(body.attempts).toEqual({ total: 1, accepted: 0, acceptanceRate: 0 });
    expect(body.reservations).toEqual({ reserved: 1, applied: 0, conversionRate: 0, revoked: 0, released: 0, expired: 0, live: 1 });
    expect(body.guard.candidateAbusiveHashes).toEqual([]);
    expect(body.guard.pausedCampaigns).toEqual({ total: 0, recentlyPaused: [] });
  });

  it("answers an empty window with zeros, null rates and every bucket present", async () => {
    const body = await getDashboard(db, { window: "1h" });
    expect(body.attempts).toEqual({ total: 0, accepted: 0, acceptanceRate: null });
    expect(body.reservations.conversionRate).toBeNull();
    expect(body.failures.map((f) => [f.result, f.count, f.share])).toEqual([
      ["INVALID", 0, null],
      ["NOT_APPLICABLE", 0, null],
      ["EXPIRED", 0, null],
      ["PAUSED", 0, null],
      ["EXHAUSTED", 0, null],
      ["RATE_LIMITED", 0, null],
    ]);
    expect(body.buckets).toHaveLength(12);
    for (const bucket of body.buckets) {
      expect(bucket.reserved).toBe(0);
      expect(Object.values(bucket.attempts)).toEqual(Array(7).fill(0));
    }
  });

  it("is for operators only and validates the window", async () => {
    const seller = await businessWithKey();
    expect((await dashboard("window=1h", {})).status).toBe(401);
    expect((await dashboard("window=1h", { token: seller.token })).status).toBe(403);
    const bad = await dashboard("window=2h");
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ code: "VALIDATION_ERROR" });
    expect((await dashboard("window=1h&businessId=not-a-uuid")).status).toBe(400);
    expect((await dashboard("window=1h")).status).toBe(200);
    expect((await dashboard("window=7d", { cookie: await sessionCookie({ uid: "ops-1", role: "ops" }) })).status).toBe(200);
  });
});

describe("rate", () => {
  it("rounds half up to 4 decimals on the integers and is null for an empty whole", () => {
    expect(rate(1, 3)).toBe(0.3333);
    expect(rate(2, 3)).toBe(0.6667);
    expect(rate(1, 32)).toBe(0.0313);
    expect(rate(0, 5)).toBe(0);
    expect(rate(5, 5)).toBe(1);
    expect(rate(0, 0)).toBeNull();
  });
});
