import { and, eq, sql } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { db } from "@/db/client";
import { couponAssignments, promoAttempts, redemptions } from "@/db/schema";
import { assignRandom, codesOf, countStatus, lock, redeem } from "@/testing/coupon-api";
import type { CallResult } from "@/testing/http";
import { activeBook, businessWithKey, genericBook } from "@/testing/fixtures";
import { cartOf, promoRedeem } from "@/testing/promo-api";

/** How long the winner's transaction is held open after it took the coupon (its audit row's insert sleeps). */
const HOLD_MS = 2_500;

/**
 * Holds open, for HOLD_MS, every transaction that writes an audit row of `bookId`: the transaction
 * that won the coupon stays uncommitted, with its row locks, while the others arrive. Refusals
 * write no audit row, so only a winner sleeps.
 */
async function holdWinners(bookId: string) {
  await db.execute(sql.raw(`
    create or replace function test_hold_winner() returns trigger language plpgsql as $$
    begin perform pg_sleep(${HOLD_MS / 1000}); return null; end $$`));
  await db.execute(sql.raw(`
    create trigger test_hold_winner after insert on redemption_audit for each row
    when (new.book_id = '${bookId}' and new.action in ('REDEEM', 'LOCK')) execute function test_hold_winner()`));
}

afterEach(async () => {
  await db.execute(sql`drop trigger if exists test_hold_winner on redemption_audit`);
  await db.execute(sql`drop function if exists test_hold_winner()`);
});

/** A discount every test cart can take (the internal redeem refuses a coupon that discounts nothing). */
const FIXED_100 = { discountType: "FIXED", discountValue: 100 } as const;

const parallel = <T>(n: number, fn: (i: number) => Promise<T>) => Promise.all(Array.from({ length: n }, (_, i) => fn(i)));

/** Each call's answer and when it came, in ms after the start of the race. */
async function race(n: number, fn: (i: number) => Promise<CallResult>) {
  const start = performance.now();
  return parallel(n, async (i) => {
    const result = await fn(i);
    return { ...result, at: performance.now() - start };
  });
}

describe("a hot coupon fails fast (DESIGN §5.1, docs/api.md)", () => {
  it("30 parallel redeems of a single-use code: one success; the rest a 409 before the winner commits", async () => {
    const { token, businessId } = await businessWithKey();
    const book = await activeBook(businessId, { codes: 2 });
    const { body } = await assignRandom({ token }, { couponBookId: book.id, userId: "juan" });
    await holdWinners(book.id);

    const results = await race(30, (i) => redeem({ token }, body.code, { userId: "juan", orderId: `order-${i}` }));
    const winners = results.filter((r) => r.status === 200);
    expect(winners).toHaveLength(1);
    const losers = results.filter((r) => r.status !== 200);
    expect(losers.map((r) => [r.status, r.body.code, r.body.reason, r.body.lockedUntil])).toEqual(Array(29).fill([409, "COUPON_LOCKED", "CONCURRENT_REQUEST", null]));
    // They did not queue behind the winner: every refusal came before the winner's commit.
    expect(Math.max(...losers.map((r) => r.at))).toBeLessThan(winners[0]!.at);
    expect(winners[0]!.at).toBeGreaterThanOrEqual(HOLD_MS);

    const applied = await db.select().from(redemptions).where(and(eq(redemptions.bookId, book.id), eq(redemptions.status, "PR_APPLIED")));
    expect(applied).toHaveLength(1);
    const [assignment] = await db.select().from(couponAssignments).where(eq(couponAssignments.bookId, book.id));
    expect(assignment).toMatchObject({ redeemCount: 1, status: "REDEEMED" });
    // Every refusal left its attempt row, with the cause.
    const attempts = await db.select({ result: promoAttempts.result, reason: promoAttempts.reason }).from(promoAttempts).where(eq(promoAttempts.bookId, book.id));
    expect(attempts.filter((a) => a.result === "NOT_APPLICABLE" && a.reason === "CONCURRENT_REQUEST")).toHaveLength(29);

    // Once the winner has committed, a retry gets the precise answer: its own order replays, another is spent.
    const replay = await redeem({ token }, body.code, { userId: "juan", orderId: winners[0]!.body.orderId });
    expect(replay).toMatchObject({ status: 200, body: { redeemCount: 1, orderId: winners[0]!.body.orderId } });
    expect(await redeem({ token }, body.code, { userId: "juan", orderId: "order-late" })).toMatchObject({ status: 400, body: { code: "COUPON_ALREADY_REDEEMED" } });
  });

  it("parallel locks of a single-use code by different checkouts: one lock, the rest a 409 at once", async () => {
    const { token, businessId } = await businessWithKey();
    const book = await activeBook(businessId, { codes: 1, overrides: FIXED_100 });
    const { body } = await assignRandom({ token }, { couponBookId: book.id, userId: "ana" });
    await holdWinners(book.id);
    const results = await race(12, (i) => lock({ token }, body.code, { userId: "ana", checkoutId: `checkout-${i}` }));
    const winners = results.filter((r) => r.status === 200);
    expect(winners).toHaveLength(1);
    const losers = results.filter((r) => r.status !== 200);
    expect(losers.every((r) => r.status === 409 && r.body.code === "COUPON_LOCKED" && r.body.reason === "CONCURRENT_REQUEST")).toBe(true);
    expect(Math.max(...losers.map((r) => r.at))).toBeLessThan(winners[0]!.at);
    expect(await db.select().from(redemptions).where(eq(redemptions.bookId, book.id))).toHaveLength(1);
  });

  it("a multi-use code with enough uses: 12 parallel redeems all succeed (waiters that can win still wait)", async () => {
    const { token, businessId } = await businessWithKey();
    const book = await activeBook(businessId, { codes: 1, overrides: { maxRedeemsPerUser: 12 } });
    const { body } = await assignRandom({ token }, { couponBookId: book.id, userId: "ana" });
    const results = await parallel(12, (i) => redeem({ token }, body.code, { userId: "ana", orderId: `order-${i}` }));
    expect(countStatus(results, 200)).toBe(12);
    expect(results.map((r) => r.body.redeemCount).sort((a, b) => a - b)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    const [assignment] = await db.select().from(couponAssignments).where(eq(couponAssignments.bookId, book.id));
    expect(assignment).toMatchObject({ redeemCount: 12, status: "REDEEMED" });
  });

  it("a GENERIC code: 30 shoppers redeeming at once all get it (no shared row lock)", async () => {
    const { businessId } = await businessWithKey();
    const book = await genericBook(businessId, "HOTGENERIC", { discountType: "FIXED", discountValue: 100 });
    const responses = await parallel(30, (i) => promoRedeem({ userId: `shopper-${i}`, code: "HOTGENERIC", checkoutId: `chk-${i}`, cart: cartOf(businessId) }));
    expect(responses.map((r) => r.body.result)).toEqual(Array(30).fill("ACCEPTED"));
    expect(await db.select().from(redemptions).where(eq(redemptions.bookId, book.id))).toHaveLength(30);
  });

  it("internal redeem: 20 shoppers claiming one unassigned code at once: one ACCEPTED, the rest INVALID before it commits", async () => {
    const { businessId } = await businessWithKey();
    const book = await activeBook(businessId, { codes: 1, overrides: FIXED_100 });
    const [code] = await codesOf(book.id);
    await holdWinners(book.id);
    const results = await race(20, (i) => promoRedeem({ userId: `shopper-${i}`, code: code!, checkoutId: `chk-${i}`, cart: cartOf(businessId) }));
    const winners = results.filter((r) => r.body.result === "ACCEPTED");
    expect(winners).toHaveLength(1);
    const losers = results.filter((r) => r.body.result !== "ACCEPTED");
    // No oracle: a code someone else is claiming is answered like any code the shopper does not hold.
    expect(losers.map((r) => [r.status, r.body.result, r.body.reason])).toEqual(Array(19).fill([200, "INVALID", undefined]));
    expect(Math.max(...losers.map((r) => r.at))).toBeLessThan(winners[0]!.at);
    expect(await db.select().from(couponAssignments).where(eq(couponAssignments.bookId, book.id))).toHaveLength(1);
    const attempts = await db.select({ reason: promoAttempts.reason }).from(promoAttempts).where(and(eq(promoAttempts.bookId, book.id), eq(promoAttempts.result, "INVALID")));
    expect(attempts.map((a) => a.reason)).toEqual(Array(19).fill("CONCURRENT_REQUEST"));
  });

  it("internal redeem of a shopper's own single-use code from 10 checkouts at once: one reservation, the rest NOT_APPLICABLE at once", async () => {
    const { token, businessId } = await businessWithKey();
    const book = await activeBook(businessId, { codes: 1, overrides: FIXED_100 });
    const { body } = await assignRandom({ token }, { couponBookId: book.id, userId: "ana" });
    await holdWinners(book.id);
    const results = await race(10, (i) => promoRedeem({ userId: "ana", code: body.code, checkoutId: `chk-${i}`, cart: cartOf(businessId) }));
    const winners = results.filter((r) => r.body.result === "ACCEPTED");
    expect(winners).toHaveLength(1);
    const losers = results.filter((r) => r.body.result !== "ACCEPTED");
    expect(losers.map((r) => [r.body.result, r.body.reason])).toEqual(Array(9).fill(["NOT_APPLICABLE", "CONCURRENT_REQUEST"]));
    expect(Math.max(...losers.map((r) => r.at))).toBeLessThan(winners[0]!.at);
    expect(await db.select().from(redemptions).where(eq(redemptions.bookId, book.id))).toHaveLength(1);
  });

  it("internal redeem double clicks (the same checkoutId at once) wait for the first and get its reservation", async () => {
    const { token, businessId } = await businessWithKey();
    const owned = await activeBook(businessId, { codes: 1, overrides: FIXED_100 });
    const { body } = await assignRandom({ token }, { couponBookId: owned.id, userId: "ana" });
    const unassigned = await activeBook(businessId, { codes: 1, overrides: FIXED_100 });
    const [fresh] = await codesOf(unassigned.id);
    for (const [book, code, user] of [[owned, body.code, "ana"], [unassigned, fresh!, "bea"]] as const) {
      const results = await parallel(8, () => promoRedeem({ userId: user, code, checkoutId: `chk-${user}`, cart: cartOf(businessId) }));
      expect(results.map((r) => r.body.result)).toEqual(Array(8).fill("ACCEPTED"));
      expect(new Set(results.map((r) => r.body.reservationId)).size).toBe(1);
      expect(await db.select().from(redemptions).where(eq(redemptions.bookId, book.id))).toHaveLength(1);
    }
  });
});
