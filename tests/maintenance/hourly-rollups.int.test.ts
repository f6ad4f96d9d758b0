import { randomUUID } from "node:crypto";
import { sql, type SQL } from "drizzle-orm";
import postgres from "postgres";
import { describe, expect, it } from "vitest";
import { db } from "@/db/client";
import { PROMO_RESULTS, promoAttempts, redemptionAudit, type PromoResult } from "@/db/schema";
import { AUDIT_ROLLUP } from "@/lib/coupons/audit-rollup";
import { settings } from "@/lib/env";
import { closedHoursEnd, HOUR_MS, readClock, readRolledThrough, rewindRollup, rollUpHours, type HourlyRollup } from "@/lib/jobs/hourly-rollup";
import { readDomainFigures } from "@/lib/metrics/domain-figures";
import { getDashboard } from "@/lib/ops/dashboard";
import type { DashboardDto, DashboardQuery } from "@/lib/ops/dashboard-schemas";
import { ATTEMPT_ROLLUP } from "@/lib/promo/attempt-rollup";
import { hashCode } from "@/lib/promo/hashing";

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
  // The audit rows the scrape counts (ledger transitions, pauses by the guard and by ops) and one it does not.
  const actions = ["LOCK", "REDEEM", "UNLOCK", "EXPIRE", "REVOKE", "PAUSE", "PAUSE", "CREATE_BOOK"];
  await db.insert(redemptionAudit).values(
    at.flatMap((when, i) =>
      [0, 1].map((j) => {
        const n = i * 2 + j;
        return { businessId: businesses[n % 2]!, action: actions[n % actions.length]!, actor: n % 3 === 0 ? "system:guard" : "ops:ops-1", at: when };
      }),
    ),
  );
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

async function emptyRollups() {
  await db.execute(sql`delete from promo_attempt_hourly`);
  await db.execute(sql`delete from redemption_audit_hourly`);
  await db.execute(sql`delete from job_cursors`);
}

const rollUpAttempts = (options?: { maxHours?: number }) => rollUpHours(db, ATTEMPT_ROLLUP, options);

/** Everything a reader shows: the dashboard's windows over all businesses and one, and the scrape's counters. */
async function readAll(businessId: string) {
  const queries: DashboardQuery[] = [{ window: "1h" }, { window: "24h" }, { window: "7d" }, { window: "24h", businessId }, { window: "7d", businessId }];
  const dashboards: DashboardDto[] = [];
  for (const query of queries) dashboards.push(await getDashboard(db, query));
  const { attemptsByResult, redemptionsByStatus, guardAutopauses } = await readDomainFigures(db, 10_000);
  return { dashboards, attemptsByResult, redemptionsByStatus, guardAutopauses };
}

/** The DTOs without the instant they were read at (`to` moves on; `from`, the buckets' start, must not). */
const withoutClock = (read: Awaited<ReturnType<typeof readAll>>) => ({
  ...read,
  dashboards: read.dashboards.map((d) => ({ ...d, to: null, lastWeek: { ...d.lastWeek, to: null } })),
});

describe("hourly rollups: the readers", () => {
  it("the dashboard and the scrape read the same figures with the rollups empty, filled hour by hour, and caught up", async () => {
    const { businesses, count } = await seedAttempts();
    // A 5-minute bucket may start during the run (the 1h window's `from` moves): then it starts over.
    for (let attempt = 1; ; attempt++) {
      await emptyRollups();
      const raw = withoutClock(await readAll(businesses[0]));
      expect(Object.values(raw.attemptsByResult).reduce((a, b) => a + b, 0)).toBe(count);
      expect(raw.guardAutopauses).toBeGreaterThan(0);
      const closed = await closedHoursWithAttempts();
      // The two rollups at different paces, so that each is read ahead of, level with and behind the other.
      const attemptHours: number[] = [];
      const auditHours: number[] = [];
      const reads = [];
      for (;;) {
        const attempts = await rollUpAttempts({ maxHours: 1 });
        const audit = await rollUpHours(db, AUDIT_ROLLUP, { maxHours: 2 });
        attemptHours.push(attempts.hours);
        auditHours.push(audit.hours);
        reads.push(withoutClock(await readAll(businesses[0])));
        if (attempts.hours === 0 && audit.hours === 0) break;
      }
      if (attempt < 3 && reads.some((read) => read.dashboards.some((d, i) => d.from !== raw.dashboards[i]!.from))) continue;

      // A state per closed hour with attempts, one hour more each, then the run that found none left.
      expect(closed).toBeGreaterThanOrEqual(HOURS_BACK.length - 2);
      expect(attemptHours).toEqual([...Array<number>(closed).fill(1), 0]);
      expect(auditHours.reduce((a, b) => a + b, 0)).toBe(closed);
      for (const table of ["promo_attempt_hourly", "redemption_audit_hourly"]) {
        const [{ n }] = (await db.execute<{ n: number }>(sql`select count(*)::int as n from ${sql.raw(table)}`)) as unknown as [{ n: number }];
        expect(n).toBeGreaterThan(0);
      }
      for (const read of reads) expect(read).toEqual(raw);
      return;
    }
  });

  it("counts rows written into hours already rolled up once the cursors are moved back, and nothing twice", async () => {
    const { businesses } = await seedAttempts();
    await rollUpAttempts();
    await rollUpHours(db, AUDIT_ROLLUP);
    const before = await readAll(businesses[0]);
    for (const rollup of [ATTEMPT_ROLLUP, AUDIT_ROLLUP]) await rewindRollup(db, rollup, new Date(Date.now() - 3 * 24 * HOUR_MS));
    const late = sql`${hourStart(30)} + interval '5 minutes'`;
    await db.insert(promoAttempts).values({
      businessId: businesses[0],
      normalizedCodeHash: hashCode("LATE"),
      codePrefix: "LATE",
      userId: "late",
      result: "INVALID",
      reason: "UNKNOWN_CODE",
      attemptedAt: late,
    });
    await db.insert(redemptionAudit).values({ businessId: businesses[0], action: "PAUSE", actor: "system:guard", at: late });
    const rewound = await readAll(businesses[0]);
    expect(rewound.attemptsByResult.INVALID).toBe(before.attemptsByResult.INVALID + 1);
    expect(rewound.guardAutopauses).toBe(before.guardAutopauses + 1);
    const week = (read: typeof before) => read.dashboards[2]!.failures.find((f) => f.result === "INVALID")!.count;
    expect(week(rewound)).toBe(week(before) + 1);
    await rollUpAttempts();
    await rollUpHours(db, AUDIT_ROLLUP);
    // The hour-bucketed windows (the 1h one's 5-minute buckets move on too often to compare across reads).
    const hourly = (read: typeof before) => ({ ...withoutClock(read), dashboards: withoutClock(read).dashboards.slice(1) });
    expect(hourly(await readAll(businesses[0]))).toEqual(hourly(rewound));
  });
});

/** A rollup's table, and the same counts straight from its log for the hours before `through`. */
function tables(r: HourlyRollup) {
  const keys = sql.join(r.keys.map((k) => k.column), sql`, `);
  const values = sql.join(r.keys.map((k) => sql`${k.value} as ${k.column}`), sql`, `);
  const groups = sql.join(r.keys.map((_, i) => sql.raw(String(i + 2))), sql`, `);
  return {
    rolled: async () => [...(await db.execute(sql`select hour::text, ${keys}, ${r.count} as n from ${r.table} order by 1, ${groups}`))],
    counted: async (through: string) => [
      ...(await db.execute(sql`
        select date_bin(${HOUR}, ${r.at}, '2000-01-01T00:00:00Z')::text as hour, ${values}, count(*)::int as n
        from ${r.log} where ${r.at} < ${through}::timestamptz group by 1, ${groups} order by 1, ${groups}`)),
    ],
  };
}

describe.each([ATTEMPT_ROLLUP, AUDIT_ROLLUP])("hourly rollups: the $job job", (rollup) => {
  const { rolled, counted } = tables(rollup);

  it("rolls up closed hours only, at most maxHours a run, and a run after it has caught up changes nothing", async () => {
    await seedAttempts();
    const closedHours = await closedHoursWithAttempts();
    const first = await rollUpHours(db, rollup, { maxHours: 10 });
    expect(first).toMatchObject({ hours: 10, moreLeft: true });
    const second = await rollUpHours(db, rollup, { maxHours: 10 });
    expect(second).toMatchObject({ hours: closedHours - 10, moreLeft: false });
    const through = (await readRolledThrough(db, rollup.job))!;
    // Caught up to the end of the closed hours: the current hour (and, in its first minutes, the last one) stays raw.
    const [{ now }] = (await db.execute<{ now: string }>(sql`select now()::text as now`)) as unknown as [{ now: string }];
    expect(through).toBe(closedHoursEnd(new Date(now), null));

    const rows = await rolled();
    expect(rows.length).toBeGreaterThan(0);
    expect(rows).toEqual(await counted(through));
    expect(first.rows + second.rows).toBe(rows.reduce((n, r) => n + Number(r.n), 0));
    expect(await rollUpHours(db, rollup)).toMatchObject({ hours: 0, rows: 0, moreLeft: false });
    expect(await rolled()).toEqual(rows);

    // Rolled again from the start: the same rows, none doubled.
    await rewindRollup(db, rollup, new Date(0));
    await rollUpHours(db, rollup);
    expect(await rolled()).toEqual(rows);
  });

  it("runs started together roll each hour once", async () => {
    await seedAttempts();
    const runs = await Promise.all([1, 2, 3].map(() => rollUpHours(db, rollup, { maxHours: 4 })));
    const left = await rollUpHours(db, rollup);
    expect(runs.reduce((n, r) => n + r.hours, 0) + left.hours).toBe(await closedHoursWithAttempts());
    expect(await rolled()).toEqual(await counted((await readRolledThrough(db, rollup.job))!));
  });
});

describe("hourly rollups: closed hours", () => {
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
