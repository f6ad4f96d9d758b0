import { randomUUID } from "node:crypto";
import { sql, type SQL } from "drizzle-orm";
import postgres from "postgres";
import { describe, expect, it } from "vitest";
import { db } from "@/db/client";
import { PROMO_RESULTS, promoAttempts, type PromoResult } from "@/db/schema";
import { settings } from "@/lib/env";
import { closedHoursEnd, readClock, rewindAttemptRollup, rollUpAttempts, SETTLE_MS } from "@/lib/maintenance/attempt-rollup";
import { readDomainFigures } from "@/lib/metrics/domain-figures";
import { getDashboard } from "@/lib/ops/dashboard";
import type { DashboardDto, DashboardQuery } from "@/lib/ops/dashboard-schemas";
import { hashCode } from "@/lib/promo/hashing";
import { HOUR_MS, readRolledThrough } from "@/lib/promo/attempt-rollup";

const HOUR = sql`interval '1 hour'`;
/** The start of the current hour, k hours back (UTC hours, as the rollup's). */
const hourStart = (k: number) => sql`date_bin(${HOUR}, now(), '2000-01-01T00:00:00Z') - ${HOUR} * ${k}`;

const REASONS: Record<PromoResult, string[]> = {
  ACCEPTED: ["OK"],
  INVALID: ["UNKNOWN_CODE", "NOT_OWNER", "CODE_DISABLED"],
  NOT_APPLICABLE: ["MIN_ORDER_AMOUNT"],
  EXPIRED: ["BOOK_EXPIRED"],
  PAUSED: ["BOOK_PAUSED"],
  EXHAUSTED: ["BOOK_BUDGET"],
  RATE_LIMITED: ["USER_LIMIT"],
};

/** Hours back (0: the current one) with attempts: inside 1h, 24h, 7d, last week's side of each, and older. */
const HOURS_BACK = [0, 1, 2, 5, 23, 24, 30, 6 * 24 + 20, 7 * 24 - 1, 7 * 24, 7 * 24 + 1, 7 * 24 + 23, 7 * 24 + 24, 8 * 24 + 5, 14 * 24 + 2];

/**
 * Attempts of two businesses at the edges of hours (the first microsecond, the last one) and inside
 * them, of every result, with code hashes shared by shoppers (guard candidates), plus the two sides
 * of the week-old instant the comparison stops at.
 */
async function seedAttempts() {
  const businesses = [randomUUID(), randomUUID()] as const;
  const at: SQL[] = [];
  for (const k of HOURS_BACK) {
    at.push(hourStart(k), sql`${hourStart(k)} + interval '17 minutes'`, sql`${hourStart(k)} + interval '41 minutes 3 seconds'`);
    // The current hour's last microsecond is in the future.
    if (k > 0) at.push(sql`${hourStart(k - 1)} - interval '1 microsecond'`);
  }
  at.push(sql`now() - interval '7 days' - interval '1 minute'`, sql`now() - interval '7 days' + interval '1 minute'`, sql`now() - interval '1 second'`);
  const rows = at.flatMap((when, i) =>
    [0, 1, 2].map((j) => {
      const n = i * 3 + j;
      const result = PROMO_RESULTS[n % PROMO_RESULTS.length]!;
      const reasons = REASONS[result];
      return {
        businessId: businesses[n % 2]!,
        normalizedCodeHash: hashCode(`CODE-${n % 5}`),
        codePrefix: "CODE-",
        userId: `u${n % 7}`,
        ipHash: n % 3 === 0 ? null : `ip-${n % 4}`,
        result,
        reason: reasons[n % reasons.length]!,
        attemptedAt: when,
      };
    }),
  );
  await db.insert(promoAttempts).values(rows);
  return { businesses, count: rows.length };
}

/** Hours with attempts that the job may roll up now: all of HOURS_BACK but the current one, less the last one in an hour's first minutes. */
async function closedHoursWithAttempts() {
  const [{ now }] = (await db.execute<{ now: string }>(sql`select now()::text as now`)) as unknown as [{ now: string }];
  const end = closedHoursEnd(new Date(now), null);
  const [{ n }] = (await db.execute<{ n: number }>(sql`
    select count(distinct date_bin(${HOUR}, attempted_at, '2000-01-01T00:00:00Z'))::int as n from promo_attempts where attempted_at < ${end}::timestamptz`)) as unknown as [{ n: number }];
  return n;
}

async function emptyRollup() {
  await db.execute(sql`delete from promo_attempt_hourly`);
  await db.execute(sql`delete from job_cursors where job = 'attempt-rollup'`);
}

/** Everything a reader shows: the dashboard's windows over all businesses and one, and the scrape's attempt counters. */
async function readAll(businessId: string) {
  const queries: DashboardQuery[] = [{ window: "1h" }, { window: "24h" }, { window: "7d" }, { window: "24h", businessId }, { window: "7d", businessId }];
  const dashboards: DashboardDto[] = [];
  for (const query of queries) dashboards.push(await getDashboard(db, query));
  const { attemptsByResult } = await readDomainFigures(db, 10_000);
  return { dashboards, attemptsByResult };
}

/** The DTOs without the instant they were read at (`to` moves on; `from`, the buckets' start, must not). */
const withoutClock = (read: Awaited<ReturnType<typeof readAll>>) => ({
  ...read,
  dashboards: read.dashboards.map((d) => ({ ...d, to: null, lastWeek: { ...d.lastWeek, to: null } })),
});

describe("attempt-rollup: the readers", () => {
  it("the dashboard and the scrape read the same figures with the rollup empty, filled hour by hour, and caught up", async () => {
    const { businesses, count } = await seedAttempts();
    // A 5-minute bucket may start during the run (the 1h window's `from` moves): then it starts over.
    for (let attempt = 1; ; attempt++) {
      await emptyRollup();
      const raw = withoutClock(await readAll(businesses[0]));
      expect(Object.values(raw.attemptsByResult).reduce((a, b) => a + b, 0)).toBe(count);
      const closed = await closedHoursWithAttempts();
      const hoursRolled: number[] = [];
      const reads = [];
      for (;;) {
        const run = await rollUpAttempts(db, { maxHours: 1 });
        hoursRolled.push(run.hours);
        reads.push(withoutClock(await readAll(businesses[0])));
        if (run.hours === 0) break;
      }
      if (attempt < 3 && reads.some((read) => read.dashboards.some((d, i) => d.from !== raw.dashboards[i]!.from))) continue;

      // A state per closed hour with attempts, one hour more each, then the run that found none left.
      expect(closed).toBeGreaterThanOrEqual(HOURS_BACK.length - 2);
      expect(hoursRolled).toEqual([...Array<number>(closed).fill(1), 0]);
      const rolled = await db.execute<{ n: number }>(sql`select coalesce(sum(attempts), 0)::int as n from promo_attempt_hourly`);
      expect(rolled[0]!.n).toBeGreaterThan(count / 2);
      for (const read of reads) expect(read).toEqual(raw);
      return;
    }
  });

  it("counts an attempt written into hours already rolled up once the cursor is moved back, and nothing twice", async () => {
    const { businesses } = await seedAttempts();
    await rollUpAttempts(db);
    const before = await readAll(businesses[0]);
    await rewindAttemptRollup(db, new Date(Date.now() - 3 * 24 * HOUR_MS));
    await db.insert(promoAttempts).values({
      businessId: businesses[0],
      normalizedCodeHash: hashCode("LATE"),
      codePrefix: "LATE",
      userId: "late",
      result: "INVALID",
      reason: "UNKNOWN_CODE",
      attemptedAt: sql`${hourStart(30)} + interval '5 minutes'`,
    });
    const rewound = await readAll(businesses[0]);
    expect(rewound.attemptsByResult.INVALID).toBe(before.attemptsByResult.INVALID + 1);
    const week = (read: typeof before) => read.dashboards[2]!.failures.find((f) => f.result === "INVALID")!.count;
    expect(week(rewound)).toBe(week(before) + 1);
    await rollUpAttempts(db);
    // The hour-bucketed windows (the 1h one's 5-minute buckets move on too often to compare across reads).
    const hourly = (read: typeof before) => ({ ...withoutClock(read), dashboards: withoutClock(read).dashboards.slice(1) });
    expect(hourly(await readAll(businesses[0]))).toEqual(hourly(rewound));
  });
});

type HourRow = { business_id: string; hour: string; result: string; reason: string; attempts: number };
const rollupRows = () => db.execute<HourRow>(sql`select business_id, hour::text, result, reason, attempts from promo_attempt_hourly order by 1, 2, 3, 4`);
/** The same counts straight from promo_attempts, for the hours before the cursor. */
const countedRows = (through: string) =>
  db.execute<HourRow>(sql`
    select business_id, date_bin(${HOUR}, attempted_at, '2000-01-01T00:00:00Z')::text as hour, result, reason, count(*)::int as attempts
    from promo_attempts where attempted_at < ${through}::timestamptz group by 1, 2, 3, 4 order by 1, 2, 3, 4`);

describe("attempt-rollup: the job", () => {
  it("rolls up closed hours only, at most maxHours a run, and a run after it has caught up changes nothing", async () => {
    await seedAttempts();
    const closedHours = await closedHoursWithAttempts();
    const first = await rollUpAttempts(db, { maxHours: 10 });
    expect(first).toMatchObject({ hours: 10, moreLeft: true });
    const second = await rollUpAttempts(db, { maxHours: 10 });
    expect(second).toMatchObject({ hours: closedHours - 10, moreLeft: false });
    const through = (await readRolledThrough(db))!;
    // Caught up to the end of the closed hours: the current hour (and, in its first minutes, the last one) stays raw.
    const [{ now }] = (await db.execute<{ now: string }>(sql`select now()::text as now`)) as unknown as [{ now: string }];
    expect(through).toBe(closedHoursEnd(new Date(now), null));
    expect(Date.parse(through)).toBeLessThanOrEqual(Date.parse(now));

    const rows = [...(await rollupRows())];
    expect(rows).toEqual([...(await countedRows(through))]);
    expect(first.attempts + second.attempts).toBe(rows.reduce((n, r) => n + r.attempts, 0));
    expect(await rollUpAttempts(db)).toMatchObject({ hours: 0, attempts: 0, moreLeft: false });
    expect([...(await rollupRows())]).toEqual(rows);

    // Rolled again from the start: the same rows, none doubled.
    await rewindAttemptRollup(db, new Date(0));
    await rollUpAttempts(db);
    expect([...(await rollupRows())]).toEqual(rows);
  });

  it("runs started together roll each hour once", async () => {
    await seedAttempts();
    const runs = await Promise.all([1, 2, 3].map(() => rollUpAttempts(db, { maxHours: 4 })));
    const left = await rollUpAttempts(db);
    expect(runs.reduce((n, r) => n + r.hours, 0) + left.hours).toBe(await closedHoursWithAttempts());
    expect([...(await rollupRows())]).toEqual([...(await countedRows((await readRolledThrough(db))!))]);
  });

  it("sees a transaction open in another session, whose attempts would carry its start time", async () => {
    const other = postgres(settings("DATABASE_URL").DATABASE_URL, { max: 1, onnotice: () => {} });
    try {
      await other.begin(async (tx) => {
        const [{ started }] = (await tx`select now() as started`) as unknown as [{ started: Date }];
        const clock = await readClock(db);
        expect(clock.oldestOpenTransaction?.getTime()).toBe(started.getTime());
      });
    } finally {
      await other.end({ timeout: 5 });
    }
  });
});

describe("closedHoursEnd", () => {
  const at = (iso: string) => new Date(iso);
  it("ends at the last hour boundary before now less the settle margin and before the oldest open transaction", () => {
    expect(SETTLE_MS).toBe(120_000);
    expect(closedHoursEnd(at("2026-12-01T10:30:00Z"), null)).toBe("2026-12-01T10:00:00.000Z");
    expect(closedHoursEnd(at("2026-12-01T11:01:00Z"), null)).toBe("2026-12-01T10:00:00.000Z");
    expect(closedHoursEnd(at("2026-12-01T11:02:00Z"), null)).toBe("2026-12-01T11:00:00.000Z");
    // A checkout that began a second before 11:00 and has not committed: 10:00–11:00 is not closed.
    expect(closedHoursEnd(at("2026-12-01T11:30:00Z"), at("2026-12-01T10:59:59Z"))).toBe("2026-12-01T10:00:00.000Z");
    expect(closedHoursEnd(at("2026-12-01T11:30:00Z"), at("2026-12-01T11:00:00Z"))).toBe("2026-12-01T11:00:00.000Z");
  });
});
