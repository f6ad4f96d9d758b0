import { and, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "@/db/client";
import { backdateLocks } from "@/db/testing/backdate-locks";
import { couponAssignments, redemptionAudit, redemptions } from "@/db/schema";
import { assignCode, assignRandom, codesOf, countStatus, lock, redeem } from "@/testing/coupon-api";
import { activeBook, businessWithKey } from "@/testing/fixtures";
import { withBookRowHeld } from "@/db/testing/locks";

const parallel = <T>(n: number, fn: (i: number) => Promise<T>) => Promise.all(Array.from({ length: n }, (_, i) => fn(i)));

async function auditCount(bookId: string, action: string) {
  const rows = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(redemptionAudit)
    .where(and(eq(redemptionAudit.bookId, bookId), eq(redemptionAudit.action, action)));
  return rows[0]!.n;
}

describe("invariants under concurrency (DESIGN §5)", () => {
  it("12 parallel random assigns for one user with maxCodesPerUser=2: exactly 2 succeed", async () => {
    const { token, businessId } = await businessWithKey();
    const book = await activeBook(businessId, { codes: 30, overrides: { maxCodesPerUser: 2 } });
    const results = await parallel(12, () => assignRandom({ token }, { couponBookId: book.id, userId: "juan" }));
    expect(countStatus(results, 201)).toBe(2);
    expect(results.filter((r) => r.status !== 201).map((r) => [r.status, r.body.code])).toEqual(Array(10).fill([409, "MAX_CODES_PER_USER_REACHED"]));
    const held = await db.select().from(couponAssignments).where(eq(couponAssignments.userId, "juan"));
    expect(held).toHaveLength(2);
    expect(await auditCount(book.id, "ASSIGN")).toBe(2);
  });

  it("40 users in parallel get 40 distinct codes; more users than codes never share one", async () => {
    const { token, businessId } = await businessWithKey();
    const book = await activeBook(businessId, { codes: 45 });
    const results = await parallel(40, (i) => assignRandom({ token }, { couponBookId: book.id, userId: `user-${i}` }));
    expect(countStatus(results, 201)).toBe(40);
    expect(new Set(results.map((r) => r.body.code)).size).toBe(40);

    const scarce = await activeBook(businessId, { codes: 20 });
    const rush = await parallel(30, (i) => assignRandom({ token }, { couponBookId: scarce.id, userId: `rush-${i}` }));
    const won = rush.filter((r) => r.status === 201);
    expect(won).toHaveLength(20);
    expect(new Set(won.map((r) => r.body.code)).size).toBe(20);
    expect(rush.filter((r) => r.status !== 201).map((r) => [r.status, r.body.code])).toEqual(Array(10).fill([409, "NO_CODES_AVAILABLE"]));
  });

  it("parallel claims of one named code by different users: one holder", async () => {
    const { token, businessId } = await businessWithKey();
    const book = await activeBook(businessId, { codes: 1 });
    const [code] = await codesOf(book.id);
    const results = await parallel(15, (i) => assignCode({ token }, code!, { userId: `claimer-${i}` }));
    expect(countStatus(results, 201)).toBe(1);
    expect(results.filter((r) => r.status !== 201).map((r) => r.body.code)).toEqual(Array(14).fill("COUPON_ALREADY_ASSIGNED"));
  });

  it("one user claiming 10 named codes in parallel with maxCodesPerUser=2: exactly 2 succeed", async () => {
    const { token, businessId } = await businessWithKey();
    const book = await activeBook(businessId, { codes: 10, overrides: { maxCodesPerUser: 2 } });
    const codes = await codesOf(book.id);
    const results = await parallel(10, (i) => assignCode({ token }, codes[i]!, { userId: "juan" }));
    expect(countStatus(results, 201)).toBe(2);
    expect(results.filter((r) => r.status !== 201).map((r) => [r.status, r.body.code])).toEqual(Array(8).fill([409, "MAX_CODES_PER_USER_REACHED"]));
    expect(await auditCount(book.id, "ASSIGN")).toBe(2);
  });

  it("25 parallel redeems of one single-use code: exactly 1 success and no 5xx", async () => {
    const { token, businessId } = await businessWithKey();
    const book = await activeBook(businessId, { codes: 3 });
    const assigned = await assignRandom({ token }, { couponBookId: book.id, userId: "juan" });
    const results = await parallel(25, () => redeem({ token }, assigned.body.code, { userId: "juan" }));
    expect(countStatus(results, 200)).toBe(1);
    // A loser that found the winner in flight answers at once (409, CONCURRENT_REQUEST: tests/coupons/hot-code.int.test.ts);
    // one that came after its commit gets the spent code's 400.
    const losers = results.filter((r) => r.status !== 200).map((r) => (r.status === 409 ? [409, r.body.code, r.body.reason] : [r.status, r.body.code]));
    expect(losers).toHaveLength(24);
    for (const loser of losers) expect([[409, "COUPON_LOCKED", "CONCURRENT_REQUEST"], [400, "COUPON_ALREADY_REDEEMED"]]).toContainEqual(loser);
    expect(await auditCount(book.id, "REDEEM")).toBe(1);
    const applied = await db.select().from(redemptions).where(eq(redemptions.bookId, book.id));
    expect(applied.filter((r) => r.status === "PR_APPLIED")).toHaveLength(1);
  });

  it("a multi-use code with k uses left under 10 parallel redeems: exactly k succeed", async () => {
    const { token, businessId } = await businessWithKey();
    const book = await activeBook(businessId, { codes: 2, overrides: { maxRedeemsPerUser: 5 } });
    const { body } = await assignRandom({ token }, { couponBookId: book.id, userId: "ana" });
    for (let i = 0; i < 2; i++) expect((await redeem({ token }, body.code, { userId: "ana" })).status).toBe(200);
    const results = await parallel(10, () => redeem({ token }, body.code, { userId: "ana" }));
    expect(countStatus(results, 200)).toBe(3);
    expect(results.filter((r) => r.status === 200).map((r) => r.body.redeemCount).sort()).toEqual([3, 4, 5]);
    expect(results.filter((r) => r.body.isFinalRedeem)).toHaveLength(1);
    const [assignment] = await db.select().from(couponAssignments).where(eq(couponAssignments.userId, "ana"));
    expect(assignment).toMatchObject({ redeemCount: 5, status: "REDEEMED" });
    expect(await auditCount(book.id, "REDEEM")).toBe(5);
  });

  it("the same orderId replayed in parallel consumes once and returns the first result", async () => {
    const { token, businessId } = await businessWithKey();
    const book = await activeBook(businessId, { codes: 2, overrides: { maxRedeemsPerUser: 3 } });
    const { body } = await assignRandom({ token }, { couponBookId: book.id, userId: "ana" });
    const results = await parallel(10, () => redeem({ token }, body.code, { userId: "ana", orderId: "order-1" }));
    expect(results.every((r) => r.status === 200)).toBe(true);
    expect(new Set(results.map((r) => JSON.stringify(r.body))).size).toBe(1);
    expect(results[0]!.body).toMatchObject({ redeemCount: 1, maxRedeems: 3, isFinalRedeem: false, status: "ASSIGNED" });
    const [assignment] = await db.select().from(couponAssignments).where(eq(couponAssignments.userId, "ana"));
    expect(assignment!.redeemCount).toBe(1);
  });

  it("10 checkouts locking one coupon at once: one lock, the rest 409 with lockedUntil", async () => {
    const { token, businessId } = await businessWithKey();
    const book = await activeBook(businessId, { codes: 1 });
    const { body } = await assignRandom({ token }, { couponBookId: book.id, userId: "ana" });
    const results = await parallel(10, (i) => lock({ token }, body.code, { userId: "ana", checkoutId: `checkout-${i}` }));
    expect(countStatus(results, 200)).toBe(1);
    const refused = results.filter((r) => r.status !== 200);
    expect(refused).toHaveLength(9);
    // lockedUntil once the winner's lock is committed; null (reason CONCURRENT_REQUEST) while it was still in flight.
    expect(
      refused.every((r) => r.status === 409 && r.body.code === "COUPON_LOCKED" && (typeof r.body.lockedUntil === "string" || (r.body.lockedUntil === null && r.body.reason === "CONCURRENT_REQUEST"))),
    ).toBe(true);
    const reserved = await db.select().from(redemptions).where(eq(redemptions.status, "PR_RESERVED"));
    expect(reserved).toHaveLength(1);
  });

  it("the same checkoutId re-locked in parallel makes one reservation", async () => {
    const { token, businessId } = await businessWithKey();
    const book = await activeBook(businessId, { codes: 1 });
    const { body } = await assignRandom({ token }, { couponBookId: book.id, userId: "ana" });
    const results = await parallel(8, () => lock({ token }, body.code, { userId: "ana", checkoutId: "cart-7" }));
    // A duplicate that found the first one still in flight on this single-use coupon is told to retry
    // (409 CONCURRENT_REQUEST, like an idempotency key in use); the others get the same lock back.
    const locked = results.filter((r) => r.status === 200);
    expect(locked.length).toBeGreaterThanOrEqual(1);
    expect(results.filter((r) => r.status !== 200).every((r) => r.status === 409 && r.body.reason === "CONCURRENT_REQUEST")).toBe(true);
    expect(new Set(locked.map((r) => r.body.lockedUntil)).size).toBe(1);
    const retry = await lock({ token }, body.code, { userId: "ana", checkoutId: "cart-7" });
    expect(retry).toMatchObject({ status: 200, body: { lockedUntil: locked[0]!.body.lockedUntil } });
    expect(await db.select().from(redemptions)).toHaveLength(1);
    expect(await auditCount(book.id, "LOCK")).toBe(1);
  });

  it("maxTotalRedemptions holds under parallel redeems and locks of different users", async () => {
    const { token, businessId } = await businessWithKey();
    const book = await activeBook(businessId, { codes: 12, overrides: { maxTotalRedemptions: 3 } });
    const users = Array.from({ length: 10 }, (_, i) => `cap-${i}`);
    const codes = await Promise.all(users.map(async (userId) => (await assignRandom({ token }, { couponBookId: book.id, userId })).body.code));
    const results = await parallel(10, (i) =>
      i % 2 === 0 ? redeem({ token }, codes[i]!, { userId: users[i] }) : lock({ token }, codes[i]!, { userId: users[i] }),
    );
    expect(countStatus(results, 200)).toBe(3);
    expect(results.filter((r) => r.status !== 200).map((r) => r.body.code)).toEqual(Array(7).fill("CAMPAIGN_EXHAUSTED"));
  });

  it("maxTotalRedemptions holds under parallel locks of different users once the book's cap counter exists", async () => {
    const { token, businessId } = await businessWithKey();
    const book = await activeBook(businessId, { codes: 21, overrides: { maxTotalRedemptions: 5 } });
    const users = Array.from({ length: 21 }, (_, i) => `held-${i}`);
    const codes = await parallel(21, async (i) => (await assignRandom({ token }, { couponBookId: book.id, userId: users[i] })).body.code as string);
    // A first lock creates the counter: its creation serializes a race by itself, which would hide a
    // missing cap lock. Past it, only the cap lock stands between 20 locks and the cap.
    expect((await lock({ token }, codes[0]!, { userId: users[0] })).status).toBe(200);
    const results = await parallel(20, (i) => lock({ token }, codes[i + 1]!, { userId: users[i + 1] }));
    expect(countStatus(results, 200)).toBe(4);
    expect(results.filter((r) => r.status !== 200).map((r) => r.body.code)).toEqual(Array(16).fill("CAMPAIGN_EXHAUSTED"));
    const live = await db.select().from(redemptions).where(and(eq(redemptions.bookId, book.id), eq(redemptions.status, "PR_RESERVED")));
    expect(live).toHaveLength(5);
  });

  it("an expired reservation frees its share of the campaign cap without any job", async () => {
    const { token, businessId } = await businessWithKey();
    const book = await activeBook(businessId, { codes: 2, overrides: { maxTotalRedemptions: 1 } });
    const a = (await assignRandom({ token }, { couponBookId: book.id, userId: "a" })).body.code;
    const b = (await assignRandom({ token }, { couponBookId: book.id, userId: "b" })).body.code;
    expect((await lock({ token }, a, { userId: "a" })).status).toBe(200);
    expect((await redeem({ token }, b, { userId: "b" })).body.code).toBe("CAMPAIGN_EXHAUSTED");
    expect(await backdateLocks(db, { bookId: book.id, userId: "a" })).toEqual({ locks: 1, reservations: 1 });
    expect((await redeem({ token }, b, { userId: "b" })).status).toBe(200);
  });

  it("assignments and redeems do not wait for a transaction holding the book row", async () => {
    const { token, businessId } = await businessWithKey();
    const book = await activeBook(businessId, { codes: 5 });
    const { body } = await assignRandom({ token }, { couponBookId: book.id, userId: "first" });

    const outcome = await withBookRowHeld(book.id, () =>
      Promise.all([assignRandom({ token }, { couponBookId: book.id, userId: "second" }), redeem({ token }, body.code, { userId: "first" })]),
    );
    expect(outcome).not.toBe("blocked");
    const [assigned, redeemed] = outcome as Exclude<typeof outcome, "blocked">;
    expect(assigned.status).toBe(201);
    expect(redeemed.status).toBe(200);
  });
});
