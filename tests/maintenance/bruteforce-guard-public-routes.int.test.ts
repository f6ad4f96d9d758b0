import { randomUUID } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { POST as lockRoute } from "@/app/api/coupons/[code]/lock/route";
import { POST as redeemRoute } from "@/app/api/coupons/[code]/redeem/route";
import { POST as validateRoute } from "@/app/api/coupons/[code]/validate/route";
import { db } from "@/db/client";
import { couponBooks, opsAlerts, redemptionAudit } from "@/db/schema";
import { activeBook, businessWithKey } from "@/testing/fixtures";
import { call, sessionCookie, testUserId, type CallResult } from "@/testing/http";
import { cartOf } from "@/testing/promo-api";
import { runBruteforceGuard } from "@/lib/maintenance/bruteforce-guard";
import { overrideSettings, restoreSettings } from "@/testing/settings";

const ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
const randomTail = () => Array.from({ length: 8 }, () => ALPHABET[Math.floor(Math.random() * ALPHABET.length)]).join("");

const routes = { lock: lockRoute, redeem: redeemRoute, validate: validateRoute };
type Door = keyof typeof routes;

function tryCode(door: Door, code: string, who: { token?: string; cookie?: string; ip?: string }, body: Record<string, unknown>) {
  return call(routes[door], {
    path: `/api/coupons/${code}/${door}`,
    params: { code },
    token: who.token,
    cookie: who.cookie,
    headers: who.ip ? { "x-forwarded-for": who.ip } : undefined,
    body,
  });
}

/**
 * `users` shoppers, `each` guesses apiece with the campaign's prefix, through the PUBLIC doors only:
 * shopper sessions (validate with a cart, lock naming the business) and the seller's API key acting
 * for the shoppers (validate, lock, redeem); shopper u always takes door u % 5. A session shopper
 * calls from its own ip.
 */
async function publicGuessingBurst(business: { businessId: string; token: string }, prefix: string, users: number, each: number) {
  const run = randomUUID().slice(0, 8);
  const shoppers = await Promise.all(
    Array.from({ length: users }, async (_, u) => {
      const uid = testUserId(`guesser-${run}-${u}`);
      return { uid, cookie: await sessionCookie({ uid, role: "shopper" }), ip: `198.51.100.${u}` };
    }),
  );
  const doors: Array<(shopper: (typeof shoppers)[number], code: string) => Promise<CallResult>> = [
    (s, code) => tryCode("validate", code, s, { cart: cartOf(business.businessId) }),
    (s, code) => tryCode("lock", code, s, { businessId: business.businessId, checkoutId: `chk-${randomUUID()}` }),
    (s, code) => tryCode("validate", code, { token: business.token }, { userId: s.uid, cart: cartOf(business.businessId) }),
    (s, code) => tryCode("lock", code, { token: business.token }, { userId: s.uid, checkoutId: `chk-${randomUUID()}` }),
    (s, code) => tryCode("redeem", code, { token: business.token }, { userId: s.uid, orderId: `ord-${randomUUID()}` }),
  ];
  const calls = Array.from({ length: users * each }, (_, n) => ({ shopper: shoppers[n % users]!, door: doors[n % doors.length]! }));
  for (let start = 0; start < calls.length; start += 25) {
    const results = await Promise.all(calls.slice(start, start + 25).map(({ shopper, door }) => door(shopper, `${prefix}${randomTail()}`)));
    for (const res of results) {
      // validate answers 200 with INVALID; lock and redeem answer the unknown code's 404.
      if (res.status === 200) expect(res.body.result).toBe("INVALID");
      else expect([res.status, res.body.code]).toEqual([404, "COUPON_NOT_FOUND"]);
    }
  }
}


// The shoppers' ips come in X-Forwarded-For, as a load balancer in front would set it.
beforeEach(() => overrideSettings({ TRUSTED_PROXY_HOPS: "1" }));
afterEach(restoreSettings);
describe("bruteforce-guard sees the public doors", () => {
  it("200 unknown codes from 50 shoppers through the public routes pause the campaign like the internal-redeem burst does", async () => {
    const business = await businessWithKey();
    const book = await activeBook(business.businessId, { codes: 20, pattern: "SUMMER-{XXXXXXXX}" });
    const bystander = await activeBook(business.businessId, { codes: 5, pattern: "WINTER-{XXXXXXXX}" });
    await publicGuessingBurst(business, "SUMMER-", 50, 4);

    const rows = await db.execute<{ result: string; attributed: number; users: number; ips: number; total: number }>(sql`
      select min(result::text) as result, count(*) filter (where attributed_book_id = ${book.id})::int as attributed,
             count(distinct user_id)::int as users, count(distinct ip_hash)::int as ips, count(*)::int as total
      from promo_attempts`);
    // 20 shoppers guessed in their own sessions (their ips are hashed in), 30 through the seller's API
    // key (a service's address is not the shopper's: no ip).
    expect(rows[0]).toEqual({ result: "INVALID", attributed: 200, users: 50, ips: 20, total: 200 });

    expect(await runBruteforceGuard(db)).toMatchObject({ candidates: 1, paused: 1, alertsRaised: 1 });
    const [paused] = await db.select().from(couponBooks).where(eq(couponBooks.id, book.id));
    expect(paused).toMatchObject({ status: "PAUSED", pausedBy: "system:guard" });
    const [untouched] = await db.select().from(couponBooks).where(eq(couponBooks.id, bystander.id));
    expect(untouched!.status).toBe("ACTIVE");
    const audit = await db.select().from(redemptionAudit).where(eq(redemptionAudit.action, "PAUSE"));
    expect(audit).toEqual([expect.objectContaining({ bookId: book.id, actor: "system:guard", previousStatus: "ACTIVE", newStatus: "PAUSED" })]);
    const alerts = await db.select().from(opsAlerts);
    expect(alerts).toEqual([expect.objectContaining({ eventType: "promo_campaign_auto_paused", bookId: book.id })]);
    // The same evidence as the internal-redeem scenario (tests/maintenance/bruteforce-guard.int.test.ts).
    expect(alerts[0]!.payload).toMatchObject({ trigger: "FAILED_ATTEMPTS", failedAttempts: 200, distinctUsers: 50, distinctIps: 20 });
  }, 120_000);

  it("below the thresholds, public guesses pause nothing", async () => {
    const business = await businessWithKey();
    const book = await activeBook(business.businessId, { codes: 5, pattern: "FALL-{XXXXXXXX}" });
    // 99 failures from 33 shoppers: one short of the default 100.
    await publicGuessingBurst(business, "FALL-", 33, 3);
    expect(await runBruteforceGuard(db)).toMatchObject({ candidates: 0, paused: 0 });
    const [after] = await db.select().from(couponBooks).where(eq(couponBooks.id, book.id));
    expect(after!.status).toBe("ACTIVE");
  }, 60_000);
});
