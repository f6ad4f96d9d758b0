import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "@/db/client";
import { backdateLocks } from "@/db/testing/backdate-locks";
import { PATCH as patchBook } from "@/app/api/coupon-books/[id]/route";
import { bookCapUsage, couponAssignments, couponCodes, redemptions } from "@/db/schema";
import { codesOf, lock } from "@/testing/coupon-api";
import { activeBook, businessWithKey, genericBook } from "@/testing/fixtures";
import { call } from "@/testing/http";
import { cartOf, promoApply, promoRedeem } from "@/testing/promo-api";

const parallel = <T>(n: number, fn: (i: number) => Promise<T>) => Promise.all(Array.from({ length: n }, (_, i) => fn(i)));
const results = (responses: { body: { result: string } }[]) => responses.map((r) => r.body.result);
const count = (values: string[], value: string) => values.filter((v) => v === value).length;

/** Applied plus live reserved discount of a book: what the budget cap holds against. */
async function committedDiscount(bookId: string) {
  const [row] = await db.execute<{ total: number; uses: number }>(sql`
    select coalesce(sum(discount_amount), 0)::int as total, count(*)::int as uses from redemptions
    where book_id = ${bookId} and (status = 'PR_APPLIED' or (status = 'PR_RESERVED' and expires_at > now()))`);
  return row!;
}

describe("internal redeem under concurrency (DESIGN §5.2, §5.8)", () => {
  it("50 users redeeming one GENERIC code with maxTotalRedemptions=20: exactly 20 ACCEPTED", async () => {
    const { businessId } = await businessWithKey();
    const book = await genericBook(businessId, "RUSH20", { discountType: "FIXED", discountValue: 100, maxTotalRedemptions: 20 });
    const responses = await parallel(50, (i) => promoRedeem({ userId: `user-${i}`, code: "RUSH20", checkoutId: `chk-${i}`, cart: cartOf(businessId) }));
    const got = results(responses);
    expect(count(got, "ACCEPTED")).toBe(20);
    expect(count(got, "EXHAUSTED")).toBe(30);
    expect(responses.every((r) => r.status === 200)).toBe(true);
    expect((await committedDiscount(book.id)).uses).toBe(20);
    // Refused users keep nothing: their first-use assignments were rolled back with the refusal.
    expect(await db.select().from(couponAssignments).where(eq(couponAssignments.bookId, book.id))).toHaveLength(20);
  });

  it("the same race against a budget never spends more than budgetAmount", async () => {
    const { businessId } = await businessWithKey();
    const book = await genericBook(businessId, "BUDGET10", { discountType: "FIXED", discountValue: 300, budgetAmount: 1000 });
    const responses = await parallel(50, (i) => promoRedeem({ userId: `user-${i}`, code: "BUDGET10", checkoutId: `chk-${i}`, cart: cartOf(businessId) }));
    const accepted = responses.filter((r) => r.body.result === "ACCEPTED");
    expect(accepted.map((r) => r.body.discountAmount).sort()).toEqual([100, 300, 300, 300]);
    expect(count(results(responses), "EXHAUSTED")).toBe(46);
    expect((await committedDiscount(book.id)).total).toBe(1000);

    // Applying them all keeps the budget exact; the ledger and the book's counter agree with the responses.
    await Promise.all(accepted.map((r) => promoApply({ checkoutId: r.body.checkoutId, orderId: `order-${r.body.checkoutId}` })));
    expect(await committedDiscount(book.id)).toEqual({ total: 1000, uses: 4 });
    const [counter] = await db.select().from(bookCapUsage).where(eq(bookCapUsage.bookId, book.id));
    expect(counter).toMatchObject({ appliedUses: 4, appliedDiscount: 1000 });
  });

  it("a book capped after uses were applied counts them, including applies in flight while it becomes capped", async () => {
    const { token, businessId } = await businessWithKey();
    const book = await genericBook(businessId, "LATECAP", { discountType: "FIXED", discountValue: 100 });
    const cart = cartOf(businessId);
    const reserved = await parallel(30, (i) => promoRedeem({ userId: `early-${i}`, code: "LATECAP", checkoutId: `early-${i}`, cart }));
    expect(count(results(reserved), "ACCEPTED")).toBe(30);
    await parallel(10, (i) => promoApply({ checkoutId: `early-${i}`, orderId: `early-order-${i}` }));

    // The other 20 applies race the PATCH that caps the book and redeems that create its counter.
    const racing = await Promise.all([
      ...Array.from({ length: 20 }, (_, i) => promoApply({ checkoutId: `early-${i + 10}`, orderId: `early-order-${i + 10}` })),
      call(patchBook, { method: "PATCH", path: `/api/coupon-books/${book.id}`, params: { id: book.id }, token, body: { maxTotalRedemptions: 50 } }),
      ...Array.from({ length: 10 }, (_, i) => promoRedeem({ userId: `late-${i}`, code: "LATECAP", checkoutId: `late-${i}`, cart })),
    ]);
    expect(racing.map((r) => r.status)).toEqual(Array(31).fill(200));
    expect(count(results(racing.slice(21) as { body: { result: string } }[]), "ACCEPTED")).toBe(10);
    const [counter] = await db.select().from(bookCapUsage).where(eq(bookCapUsage.bookId, book.id));
    expect(counter).toMatchObject({ appliedUses: 30, appliedDiscount: 3000 });
    expect((await committedDiscount(book.id)).uses).toBe(40);
  });

  it("a reservation that expires, with no job running, frees its share of the total cap and of the budget", async () => {
    const { businessId } = await businessWithKey();
    await genericBook(businessId, "ONE", { discountType: "FIXED", discountValue: 100, maxTotalRedemptions: 1 });
    await genericBook(businessId, "SPEND", { discountType: "FIXED", discountValue: 500, budgetAmount: 500 });
    const cart = cartOf(businessId);
    for (const code of ["ONE", "SPEND"]) {
      expect((await promoRedeem({ userId: "first", code, checkoutId: `a-${code}`, cart })).body.result).toBe("ACCEPTED");
      expect((await promoRedeem({ userId: "second", code, checkoutId: `b-${code}`, cart })).body.result).toBe("EXHAUSTED");
    }
    expect(await backdateLocks(db, { businessId, userId: "first" })).toEqual({ locks: 2, reservations: 2 });
    for (const code of ["ONE", "SPEND"]) {
      expect((await promoRedeem({ userId: "second", code, checkoutId: `b-${code}`, cart })).body).toMatchObject({ result: "ACCEPTED" });
    }
    expect((await promoRedeem({ userId: "second", code: "SPEND", checkoutId: "b-SPEND", cart })).body.discountAmount).toBe(500);
  });

  it("two coupons of one seller raced into one checkout: one is ACCEPTED, the other is STACKING", async () => {
    const { businessId } = await businessWithKey();
    const codes = Array.from({ length: 10 }, (_, i) => `STACK-${i}`);
    for (const code of codes) await genericBook(businessId, code, { discountType: "FIXED", discountValue: 100 });
    const responses = await parallel(codes.length, (i) => promoRedeem({ userId: "ana", code: codes[i], checkoutId: "one-checkout", cart: cartOf(businessId) }));
    expect(count(results(responses), "ACCEPTED")).toBe(1);
    expect(responses.filter((r) => r.body.result !== "ACCEPTED").map((r) => r.body.reason)).toEqual(Array(9).fill("STACKING"));
    expect(await db.select().from(redemptions)).toHaveLength(1);
  });

  it("two coupons of one seller raced into one checkout through the public lock and the internal redeem: one holds it", async () => {
    // The public lock takes no per-checkout request lock: only the seller's checkout lock keeps the stacking check honest.
    const { token, businessId } = await businessWithKey();
    const codes = Array.from({ length: 10 }, (_, i) => `PSTACK-${i}`);
    for (const code of codes) await genericBook(businessId, code, { discountType: "FIXED", discountValue: 100 });
    const responses = await parallel(codes.length, (i) =>
      i % 2 === 0
        ? lock({ token }, codes[i]!, { userId: "ana", checkoutId: "one-checkout", cart: cartOf(businessId) })
        : promoRedeem({ userId: "ana", code: codes[i], checkoutId: "one-checkout", cart: cartOf(businessId) }),
    );
    const held = responses.filter((r) => r.status === 200 && (r.body.status === "LOCKED" || r.body.result === "ACCEPTED"));
    expect(held).toHaveLength(1);
    expect(await db.select().from(redemptions)).toHaveLength(1);
  });

  it("one unassigned UNIQUE code raced by many shoppers: one claims it, the rest get INVALID", async () => {
    const { businessId } = await businessWithKey();
    const book = await activeBook(businessId, { codes: 1, overrides: { discountType: "FIXED", discountValue: 100, maxCodesPerUser: 5 } });
    const [code] = await codesOf(book.id);
    const responses = await parallel(12, (i) => promoRedeem({ userId: `user-${i}`, code, checkoutId: `chk-${i}`, cart: cartOf(businessId) }));
    expect(count(results(responses), "ACCEPTED")).toBe(1);
    expect(count(results(responses), "INVALID")).toBe(11);
    expect(await db.select().from(couponAssignments)).toHaveLength(1);
    const [row] = await db.select().from(couponCodes).where(eq(couponCodes.code, code!));
    expect(row!.status).toBe("ASSIGNED");
  });

  it("double clicks: the same checkout redeemed in parallel makes one reservation", async () => {
    const { businessId } = await businessWithKey();
    await genericBook(businessId, "CLICK", { discountType: "FIXED", discountValue: 100, maxTotalRedemptions: 5 });
    const responses = await parallel(10, () => promoRedeem({ userId: "ana", code: "CLICK", checkoutId: "same", cart: cartOf(businessId) }));
    expect(count(results(responses), "ACCEPTED")).toBe(10);
    expect(new Set(responses.map((r) => r.body.reservationId)).size).toBe(1);
    expect(await db.select().from(redemptions)).toHaveLength(1);
  });
});
