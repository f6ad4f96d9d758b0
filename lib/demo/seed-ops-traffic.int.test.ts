import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "@/db/client";
import { promoAttempts } from "@/db/schema";
import { rollUpHours } from "@/lib/jobs/hourly-rollup";
import { readDomainFigures } from "@/lib/metrics/domain-figures";
import { getDashboard } from "@/lib/ops/dashboard";
import { ATTEMPT_ROLLUP } from "@/lib/promo/attempt-rollup";
import { OPS_TRAFFIC_ACTOR, OPS_TRAFFIC_SLOT_MS, seedOpsTraffic } from "./seed-ops-traffic";
import { seedDemoData } from "./seed";

const HOUR = 3_600_000;

async function dbNow() {
  const [row] = await db.execute<{ now: string }>(sql`select now() as now`);
  return new Date(row!.now);
}

async function perSlot() {
  const rows = await db.execute<{ slot: string; n: number }>(sql`
    select floor(extract(epoch from attempted_at) * 1000 / ${OPS_TRAFFIC_SLOT_MS})::bigint::text as slot, count(*)::int as n
    from promo_attempts where actor = ${OPS_TRAFFIC_ACTOR} group by 1`);
  return new Map([...rows].map((r) => [r.slot, r.n]));
}

describe("demo ops traffic", () => {
  it("gives the dashboard two weeks of attempts of every result, guard candidates and reservations, and holds no code", async () => {
    await seedDemoData(db);

    const [span] = await db.execute<{ oldest: string; newest: string; n: number }>(sql`
      select min(attempted_at) as oldest, max(attempted_at) as newest, count(*)::int as n from promo_attempts where actor = ${OPS_TRAFFIC_ACTOR}`);
    const now = (await dbNow()).getTime();
    expect(now - new Date(span!.oldest).getTime()).toBeGreaterThan(13 * 24 * HOUR);
    expect(now - new Date(span!.oldest).getTime()).toBeLessThanOrEqual(14 * 24 * HOUR + OPS_TRAFFIC_SLOT_MS);
    expect(new Date(span!.newest).getTime()).toBeLessThanOrEqual(now);

    // Hashes (HMAC-SHA256 hex) and visible prefixes only: no made-up or real code is stored.
    const [shape] = await db.execute<{ bad_hashes: number; long_prefixes: number }>(sql`
      select count(*) filter (where normalized_code_hash !~ '^[0-9a-f]{64}$')::int as bad_hashes,
             count(*) filter (where length(code_prefix) > 7)::int as long_prefixes
      from promo_attempts where actor = ${OPS_TRAFFIC_ACTOR}`);
    expect(shape).toEqual({ bad_hashes: 0, long_prefixes: 0 });

    const week = await getDashboard(db, { window: "7d" });
    expect(week.attempts.total).toBeGreaterThan(1000);
    expect(week.lastWeek.attempts.total).toBeGreaterThan(1000);
    for (const failure of week.failures) expect(failure.count, failure.result).toBeGreaterThan(0);
    expect(week.attempts.accepted).toBeGreaterThan(0);
    expect(week.reservations.applied).toBeGreaterThan(0);
    expect(week.reservations.released).toBeGreaterThan(0);
    expect(week.reservations.expired).toBeGreaterThan(0);
    expect(week.discountGranted).toEqual([expect.objectContaining({ currency: "USD" })]);
    expect(week.discountGranted[0]!.amount).toBeGreaterThan(0);

    const hour = await getDashboard(db, { window: "1h" });
    expect(hour.attempts.total).toBeGreaterThan(0);
    expect(hour.guard.candidateAbusiveHashes.length).toBeGreaterThan(0);
    // The burst is one candidate among others: near the traffic's daily peak WELCOME10's own failures
    // (exhausted, not applicable, rate limited) outnumber it, so its rank depends on the hour.
    expect(hour.guard.candidateAbusiveHashes).toContainEqual(
      expect.objectContaining({ codePrefix: "SUMMER-", bookId: null, distinctUsers: 3, distinctIps: 2 }),
    );

    // The books stay ACTIVE; the guard's default thresholds see no attack in its window.
    const [recent] = await db.execute<{ n: number }>(sql`
      select count(*)::int as n from promo_attempts
      where actor = ${OPS_TRAFFIC_ACTOR} and result = 'INVALID' and attempted_at > now() - interval '10 minutes'`);
    expect(recent!.n).toBe(0);

    // The ledger reads as the checkout pipeline leaves it: reconciliation would find nothing.
    const [ledger] = await db.execute<{ count_diffs: number; purchase_diffs: number }>(sql`
      select (select count(*) from coupon_assignments a
               where a.redeem_count <> (select count(*) from redemptions r where r.assignment_id = a.id and r.status = 'PR_APPLIED'))::int as count_diffs,
             (select count(*) from purchases p
               where p.discount_amount <> (select coalesce(sum(r.discount_amount), 0) from redemptions r
                                            where r.business_id = p.business_id and r.order_id = p.order_id and r.status = 'PR_APPLIED'))::int as purchase_diffs`);
    expect(ledger).toEqual({ count_diffs: 0, purchase_diffs: 0 });
  });

  it("adds nothing when run again, and later tops up only the slots after the newest one seeded", async () => {
    const now = await dbNow();
    const { businessId } = await seedDemoData(db);
    const [second] = await db.execute<{ id: string }>(sql`select id from businesses where name = 'Trail Outfitters'`);
    const sellers = { businessId, secondBusinessId: second!.id };

    // seedDemoData seeded up to now; run again: nothing to add.
    const before = await db.$count(promoAttempts);
    expect(await seedOpsTraffic(db, sellers)).toEqual({ attempts: 0, reservations: 0, from: null, to: null });
    expect(await db.$count(promoAttempts)).toBe(before);

    // From scratch, first "three hours ago", then now: the later run adds only the newer slots,
    // and the slots both runs could have made are the same.
    await db.execute(sql`truncate promo_attempts, purchases, redemptions`);
    await db.execute(sql`delete from coupon_assignments where user_id like 'demo-%'`);
    const earlier = await seedOpsTraffic(db, sellers, { now: new Date(now.getTime() - 3 * HOUR) });
    expect(earlier.attempts).toBeGreaterThan(0);
    const slotsEarlier = await perSlot();
    const later = await seedOpsTraffic(db, sellers);
    expect(new Date(later.from!).getTime()).toBe(new Date(earlier.to!).getTime() + OPS_TRAFFIC_SLOT_MS);
    const slotsLater = await perSlot();
    for (const [slot, n] of slotsEarlier) expect(slotsLater.get(slot), slot).toBe(n);
    expect(slotsLater.size - slotsEarlier.size).toBeGreaterThanOrEqual(17);
  });

  it("a top-up into hours the attempt rollup has already counted is counted too: the seed moves the rollup's cursor back", async () => {
    const now = await dbNow();
    const { businessId } = await seedDemoData(db);
    const [second] = await db.execute<{ id: string }>(sql`select id from businesses where name = 'Trail Outfitters'`);
    await db.execute(sql`truncate promo_attempts, purchases, redemptions`);
    await db.execute(sql`delete from coupon_assignments where user_id like 'demo-%'`);
    await seedOpsTraffic(db, { businessId, secondBusinessId: second!.id }, { now: new Date(now.getTime() - 3 * HOUR) });
    // The job counts every closed hour (runs of 48 hours), the last three included, which hold no seeded rows yet.
    while ((await rollUpHours(db, ATTEMPT_ROLLUP)).moreLeft);
    expect((await seedOpsTraffic(db, { businessId, secondBusinessId: second!.id })).attempts).toBeGreaterThan(0);

    const total = await db.$count(promoAttempts);
    const { attemptsByResult } = await readDomainFigures(db, 10_000);
    expect(Object.values(attemptsByResult).reduce((a, b) => a + b, 0)).toBe(total);
    const day = await getDashboard(db, { window: "24h" });
    const [inWindow] = await db.execute<{ n: number }>(sql`
      select count(*)::int as n from promo_attempts where attempted_at >= ${day.from}::timestamptz and attempted_at <= ${day.to}::timestamptz`);
    expect(day.attempts.total).toBe(inWindow!.n);
  });
});
