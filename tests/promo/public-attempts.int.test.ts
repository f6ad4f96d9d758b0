import { randomUUID } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { POST as lockRoute } from "@/app/api/coupons/[code]/lock/route";
import { db } from "@/db/client";
import { couponBooks, promoAttempts } from "@/db/schema";
import { assignCode, codesOf, lock, redeem, unlock } from "@/testing/coupon-api";
import { activeBook, businessWithKey } from "@/testing/fixtures";
import { call, sessionCookie, testUserId } from "@/testing/http";
import { cartOf, validate } from "@/testing/promo-api";
import { hashCode, hashIp } from "@/lib/promo/hashing";
import { overrideSettings, restoreSettings } from "@/testing/settings";

async function attempts() {
  const rows = await db.select().from(promoAttempts).orderBy(promoAttempts.attemptedAt, promoAttempts.id);
  return rows.map((r) => ({
    hash: r.normalizedCodeHash,
    prefix: r.codePrefix,
    bookId: r.bookId,
    attributedBookId: r.attributedBookId,
    userId: r.userId,
    ipHash: r.ipHash,
    checkoutId: r.checkoutId,
    result: r.result,
    reason: r.reason,
  }));
}


// The shoppers' ips come in X-Forwarded-For, as a load balancer in front would set it.
beforeEach(() => overrideSettings({ TRUSTED_PROXY_HOPS: "1" }));
afterEach(restoreSettings);
describe("the public coupon routes write promo_attempts like the internal redeem", () => {
  it("lock, redeem and validate, by shopper sessions and API keys: accepted and refused calls (rolled back) alike; unlock writes none", async () => {
    const { businessId, token } = await businessWithKey();
    const book = await activeBook(businessId, { codes: 3, pattern: "DOOR-{XXXXXXXX}", overrides: { discountType: "FIXED", discountValue: 100 } });
    const [mine, theirs, spare] = await codesOf(book.id);
    const run = randomUUID().slice(0, 8);
    // Shoppers who sign in here are users: their session id is their users.id.
    const ana = testUserId(`ana-${run}`);
    const bob = testUserId(`bob-${run}`);
    const carol = testUserId(`carol-${run}`);
    expect((await assignCode({ token }, mine!, { userId: ana })).status).toBe(201);
    expect((await assignCode({ token }, theirs!, { userId: bob })).status).toBe(201);
    const anaSession = { cookie: await sessionCookie({ uid: ana, role: "shopper" }) };
    const ip = "203.0.113.7";
    const guess = "DOOR-GUESS234";

    // Shopper session: lock own code (ACCEPTED), then a guess naming the business (404 → INVALID).
    const sessionLock = (code: string, body: Record<string, unknown>) =>
      call(lockRoute, { path: `/api/coupons/${code}/lock`, params: { code }, ...anaSession, headers: { "x-forwarded-for": ip }, body });
    expect((await sessionLock(mine!, { checkoutId: "web-1" })).status).toBe(200);
    expect((await sessionLock(guess, { businessId })).status).toBe(404);
    // Shopper session: someone else's code gets the very 404 of an unknown code.
    const unknownAnswer = await sessionLock(guess, { businessId });
    const foreignAnswer = await sessionLock(theirs!, {});
    expect([foreignAnswer.status, foreignAnswer.body]).toEqual([unknownAnswer.status, unknownAnswer.body]);
    // Unlock releases the shopper's own lock: not a try of a code's usability, no row.
    expect((await unlock(anaSession, mine!, { checkoutId: "web-1" })).status).toBe(200);
    // API key for a shopper: someone else's code (409, precise for the seller), a redeem of own code.
    expect((await lock({ token }, theirs!, { userId: ana, checkoutId: "srv-1" })).status).toBe(409);
    expect((await redeem({ token }, mine!, { userId: ana, orderId: "order-1" })).status).toBe(200);
    // validate (a quote, rolled back) leaves its row too.
    const quoted = await validate({ token }, spare!, { userId: carol, cart: cartOf(businessId) });
    expect(quoted.body, JSON.stringify(quoted.body)).toMatchObject({ result: "ACCEPTED" });
    // A paused book: the holder learns it (409 BOOK_NOT_ACTIVE), the row says PAUSED.
    await db.update(couponBooks).set({ status: "PAUSED", pausedBy: "ops:x" }).where(eq(couponBooks.id, book.id));
    expect((await lock({ token }, theirs!, { userId: bob, checkoutId: "srv-2" })).body.code).toBe("BOOK_NOT_ACTIVE");

    const rows = await attempts();
    const anaIp = hashIp(ip);
    expect(rows).toEqual([
      { hash: hashCode(mine!), prefix: "DOOR-", bookId: book.id, attributedBookId: null, userId: ana, ipHash: anaIp, checkoutId: "web-1", result: "ACCEPTED", reason: "LOCKED" },
      { hash: hashCode(guess), prefix: "DOOR-", bookId: null, attributedBookId: book.id, userId: ana, ipHash: anaIp, checkoutId: null, result: "INVALID", reason: "UNKNOWN_CODE" },
      { hash: hashCode(guess), prefix: "DOOR-", bookId: null, attributedBookId: book.id, userId: ana, ipHash: anaIp, checkoutId: null, result: "INVALID", reason: "UNKNOWN_CODE" },
      // The shopper named no business: looked up among the businesses of the coupons they hold, so
      // the row names the code's book and the cause (the 404 does not).
      { hash: hashCode(theirs!), prefix: "DOOR-", bookId: book.id, attributedBookId: null, userId: ana, ipHash: anaIp, checkoutId: null, result: "INVALID", reason: "NOT_OWNER" },
      { hash: hashCode(theirs!), prefix: "DOOR-", bookId: book.id, attributedBookId: null, userId: ana, ipHash: null, checkoutId: "srv-1", result: "INVALID", reason: "NOT_OWNER" },
      { hash: hashCode(mine!), prefix: "DOOR-", bookId: book.id, attributedBookId: null, userId: ana, ipHash: null, checkoutId: null, result: "ACCEPTED", reason: "REDEEMED" },
      { hash: hashCode(spare!), prefix: "DOOR-", bookId: book.id, attributedBookId: null, userId: carol, ipHash: null, checkoutId: null, result: "ACCEPTED", reason: "QUOTE" },
      { hash: hashCode(theirs!), prefix: "DOOR-", bookId: book.id, attributedBookId: null, userId: bob, ipHash: null, checkoutId: "srv-2", result: "PAUSED", reason: "BOOK_PAUSED" },
    ]);
    // Who called is on each row: the shopper's own session, or the API key acting for a shopper.
    const actors = await db.execute<{ actor: string; n: number }>(sql`select actor, count(*)::int as n from promo_attempts group by actor order by actor`);
    expect(actors.map((row) => [row.actor.split(":")[0], row.n])).toEqual([
      ["apiKey", 4],
      ["shopper", 4],
    ]);
    expect(actors.find((row) => row.actor.startsWith("shopper:"))!.actor).toBe(`shopper:${ana}`);
    // Nothing else of those refused calls survived their rollback.
    const locks = await db.execute<{ n: number }>(sql`select count(*)::int as n from redemption_audit where action = 'LOCK'`);
    expect(locks[0]!.n).toBe(1);
  });

  it("a shopper session naming no business, holding no coupon, trying an unknown code: nothing to attribute it to, only logged", async () => {
    await businessWithKey();
    const cookie = await sessionCookie({ uid: `nobody-${randomUUID().slice(0, 8)}`, role: "shopper" });
    expect((await lock({ cookie }, "ANY-CODE-123", {})).status).toBe(404);
    expect(await attempts()).toEqual([]);
  });
});
