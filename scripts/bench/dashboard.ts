import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { couponBooks, couponCodes } from "@/db/schema";
import { AUDIT_ROLLUP } from "@/lib/coupons/audit-rollup";
import { rewindRollup, rollUpHours } from "@/lib/jobs/hourly-rollup";
import { ATTEMPT_ROLLUP } from "@/lib/promo/attempt-rollup";
import { readDomainFigures } from "@/lib/metrics/domain-figures";
import { getDashboard } from "@/lib/ops/dashboard";
import type { DashboardDto } from "@/lib/ops/dashboard-schemas";

/**
 * `npm run bench -- --dashboard-1m`: the ops dashboard and the metrics scrape over a day of heavy
 * traffic (issue 13): ATTEMPTS promo_attempts rows inside the dashboard's 24 h window, as many the
 * same day a week earlier (the acceptance comparison), and the ledger and audit rows a day of
 * reservations leaves. Everything is written by a few INSERT … SELECT FROM generate_series.
 */

export const ATTEMPTS = 1_000_000;
/** Redeems that reserved (the other accepted attempts are validates and quotes, which reserve nothing). */
const RESERVATIONS = 400_000;

export interface TimedRead {
  step: string;
  runs: number;
  median: number;
  max: number;
}

/**
 * The attempt mix, by g % 100: 85 % ACCEPTED, 8 % INVALID (unknown codes attributed by prefix,
 * someone else's code, disabled codes), 3 % NOT_APPLICABLE, 1 % each EXPIRED, PAUSED, EXHAUSTED and
 * RATE_LIMITED. 200,000 shoppers, 50,000 ip hashes. Accepted attempts use 300,000 codes; failures are
 * mostly one-off typos, and one in ten tries one of 500 codes passed around, 30 shoppers each (the
 * dashboard's candidate hashes).
 */
function attemptRows(businessId: string, generic: string, unique: string, count: number, at: ReturnType<typeof sql>) {
  return sql`
    insert into promo_attempts (business_id, normalized_code_hash, code_prefix, book_id, attributed_book_id, user_id, actor, ip_hash, checkout_id, result, reason, attempted_at)
    select ${businessId}::uuid,
           case when m < 85 then md5('code-' || (g % 300000)) when (g / 100) % 10 = 0 then md5('shared-' || ((g / 1000) % 500)) else md5('typo-' || g) end,
           case when m < 85 then 'DASH' else 'DU-' end,
           case when m < 85 then ${generic}::uuid when m >= 93 then ${unique}::uuid end,
           case when m between 85 and 92 then ${unique}::uuid end,
           'shopper-' || ((g::bigint * 7919) % 200000), 'internal', md5('ip-' || (g % 50000)),
           case when m < 85 then 'chk-' || g end,
           (case when m < 85 then 'ACCEPTED' when m < 93 then 'INVALID' when m < 96 then 'NOT_APPLICABLE'
                 when m = 96 then 'EXPIRED' when m = 97 then 'PAUSED' when m = 98 then 'EXHAUSTED' else 'RATE_LIMITED' end)::promo_result,
           case when m < 85 then 'OK' when m < 93 then (array['UNKNOWN_CODE', 'NOT_OWNER', 'CODE_DISABLED'])[1 + g % 3]
                when m < 96 then 'MIN_ORDER_AMOUNT' when m = 96 then 'BOOK_EXPIRED' when m = 97 then 'BOOK_PAUSED'
                when m = 98 then 'BOOK_BUDGET' else 'USER_LIMIT' end,
           ${at}
    from (select g, g % 100 as m from generate_series(1, ${count}) g) s`;
}

/**
 * Loads the day: the 24 h window is read as the dashboard reads it (the current hour and the 23
 * before), and every row of the day falls in it. Returns the window's start. `attempts` scales the
 * day (reservations in proportion) for smoke runs (`npm run bench:http -- --quick`).
 */
export async function loadDashboardDay(db: Db, businessId: string, attempts = ATTEMPTS) {
  const reservations = Math.round((RESERVATIONS * attempts) / ATTEMPTS);
  const [generic] = await db
    .insert(couponBooks)
    .values({ businessId, name: "dashboard GENERIC", status: "ACTIVE", codeKind: "GENERIC", discountType: "FIXED", discountValue: 500, generatedCount: 1 })
    .returning();
  const [unique] = await db.insert(couponBooks).values({ businessId, name: "dashboard UNIQUE", status: "ACTIVE", codePrefix: "DU-" }).returning();
  const [code] = await db.insert(couponCodes).values({ businessId, bookId: generic!.id, code: `DASH${businessId.slice(0, 8).toUpperCase()}` }).returning();

  const [{ from }] = (await db.execute<{ from: string }>(
    sql`select date_bin(interval '1 hour', now(), '2000-01-01T00:00:00Z') - interval '23 hours' as "from"`,
  )) as unknown as [{ from: string }];
  // Spread evenly over [from, now()] and written in time order, as a log fills: the rows of one
  // hour sit together in the heap (with random times, every row of an hour is on another page and
  // an hour's read costs ~30× more than in production).
  const inDay = (shift: string) => sql`${from}::timestamptz + (now() - ${from}::timestamptz) * (g::float8 / ${attempts}) - ${shift}::interval`;
  await db.execute(attemptRows(businessId, generic!.id, unique!.id, attempts, inDay("0 days")));
  await db.execute(attemptRows(businessId, generic!.id, unique!.id, attempts, inDay("7 days")));

  // A reservation per redeem (one shared assignment per shopper of the GENERIC code), with fates:
  // 70 % applied, 5 % applied then revoked, 10 % released, 10 % expired, 5 % still PR_RESERVED
  // (live while its 15-minute hold lasts, a leak after).
  await db.execute(sql`
    with reserved as (
      select g, ${from}::timestamptz + (now() - ${from}::timestamptz) * (g::float8 / ${reservations}) as at from generate_series(1, ${reservations}) g
    ), holders as (
      insert into coupon_assignments (business_id, code_id, book_id, user_id, shared, status, redeem_count)
      select ${businessId}::uuid, ${code!.id}::uuid, ${generic!.id}::uuid, 'res-' || g, true, 'ASSIGNED', 0 from reserved
      returning id, user_id
    )
    insert into redemptions (business_id, assignment_id, book_id, user_id, checkout_id, status, discount_amount, currency, reserved_at, expires_at, applied_at, revoked_at)
    select ${businessId}::uuid, h.id, ${generic!.id}::uuid, h.user_id, 'chk-' || r.g,
           (case when r.g % 100 < 70 then 'PR_APPLIED' when r.g % 100 < 75 then 'PR_REVOKED' when r.g % 100 < 85 then 'PR_RELEASED'
                 when r.g % 100 < 95 then 'PR_EXPIRED' else 'PR_RESERVED' end)::redemption_status,
           500, 'USD', r.at, r.at + interval '15 minutes',
           case when r.g % 100 < 75 then least(r.at + interval '1 minute', now()) end,
           case when r.g % 100 between 70 and 74 then now() end
    from holders h join reserved r on h.user_id = 'res-' || r.g
    order by r.g`);
  // The audit trail's ledger transitions, which the scrape counts: a LOCK per reservation and one row per fate.
  await db.execute(sql`
    insert into redemption_audit (business_id, book_id, action, actor, at)
    select business_id, book_id, 'LOCK', 'bench', reserved_at from redemptions where business_id = ${businessId}::uuid
    union all
    select business_id, book_id,
           case status when 'PR_APPLIED' then 'REDEEM' when 'PR_REVOKED' then 'REVOKE' when 'PR_RELEASED' then 'UNLOCK' else 'EXPIRE' end,
           'bench', reserved_at + interval '1 minute'
    from redemptions where business_id = ${businessId}::uuid and status <> 'PR_RESERVED'
    order by 5`);
  // What autovacuum does over a day of inserts (its insert threshold): statistics, and the visibility
  // map that lets the failed-attempts index answer without reading the table.
  for (const table of ["promo_attempts", "coupon_assignments", "redemptions", "redemption_audit"]) await db.execute(sql.raw(`vacuum (analyze) ${table}`));
  return { from };
}

async function timedRuns(runs: number, work: () => Promise<unknown>) {
  const times: number[] = [];
  for (let run = 0; run < runs; run++) {
    const started = performance.now();
    await work();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return { median: times[Math.floor(runs / 2)]!, max: times[runs - 1]! };
}

/** Each read `runs` times in a row after one unmeasured warm-up call (the first call pays for cold pages). */
export async function timeDashboardReads(db: Db, businessId: string, label: string): Promise<TimedRead[]> {
  const reads: [string, number, () => Promise<unknown>][] = [
    ["metrics scrape (database figures)", 5, () => readDomainFigures(db, 60_000)],
    ["dashboard window=1h", 5, () => getDashboard(db, { window: "1h" })],
    ["dashboard window=24h", 5, () => getDashboard(db, { window: "24h" })],
    ["dashboard window=24h, one business", 5, () => getDashboard(db, { window: "24h", businessId })],
    ["dashboard window=7d", 5, () => getDashboard(db, { window: "7d" })],
  ];
  const figures: TimedRead[] = [];
  for (const [step, runs, work] of reads) {
    await work();
    const t = await timedRuns(runs, work);
    figures.push({ step: `${step}, ${label}`, runs, median: t.median, max: t.max });
    console.log(`${step}, ${label}: median ${t.median.toFixed(0)} ms, max ${t.max.toFixed(0)} ms`);
  }
  return figures;
}

/**
 * The business's 24 h dashboard must count exactly the rows of its window and of the same window a
 * week earlier, counted here straight from promo_attempts over the DTO's own `from` and `to` (so an
 * hour that starts during the run moves both sides alike): a fast read that lost rows would be no
 * result. Right after the load, both are the loaded 1,000,000.
 */
export async function checkDay(db: Db, businessId: string) {
  const body: DashboardDto = await getDashboard(db, { window: "24h", businessId });
  const count = async (from: string, to: string) => {
    const [row] = await db.execute<{ n: number }>(sql`
      select count(*)::int as n from promo_attempts where business_id = ${businessId} and attempted_at >= ${from}::timestamptz and attempted_at <= ${to}::timestamptz`);
    return row!.n;
  };
  const expected = { now: await count(body.from, body.to), lastWeek: await count(body.lastWeek.from, body.lastWeek.to) };
  if (body.attempts.total !== expected.now || body.lastWeek.attempts.total !== expected.lastWeek || expected.now === 0) {
    throw new Error(`dashboard 24h counted ${body.attempts.total} attempts and ${body.lastWeek.attempts.total} a week earlier, the rows hold ${expected.now} and ${expected.lastWeek}`);
  }
  return body;
}

const ROLLUPS = [ATTEMPT_ROLLUP, AUDIT_ROLLUP];

/**
 * Rows written with past times, which the product never does: the rollups' cursors go back to the
 * hour of `at`, so their jobs count those hours again (and until they have, readers read them raw).
 */
export async function rewindRollups(db: Db, at: Date) {
  for (const rollup of ROLLUPS) await rewindRollup(db, rollup, at);
}

/** The `attempt-rollup` and `audit-rollup` jobs, run until they have caught up: hours and seconds each. */
export async function rollUpDay(db: Db) {
  const figures: { job: string; hours: number; runs: number; seconds: number }[] = [];
  for (const rollup of ROLLUPS) {
    const started = performance.now();
    let hours = 0;
    let runs = 0;
    for (;;) {
      const run = await rollUpHours(db, rollup);
      hours += run.hours;
      runs++;
      if (!run.moreLeft) break;
    }
    figures.push({ job: rollup.job, hours, runs, seconds: (performance.now() - started) / 1000 });
  }
  return figures;
}

export function printReads(figures: TimedRead[]) {
  console.log(`| read | runs | median | max |`);
  console.log(`| --- | ---: | ---: | ---: |`);
  for (const f of figures) console.log(`| ${f.step} | ${f.runs} | ${f.median.toFixed(0)} ms | ${f.max.toFixed(0)} ms |`);
}
