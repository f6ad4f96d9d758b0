import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "@/db/client";
import { backdateLocks } from "@/db/testing/backdate-locks";
import { couponAssignments, purchases, redemptionAudit, redemptions } from "@/db/schema";
import { assignCode, codesOf, lock, redeem } from "@/testing/coupon-api";
import { activeBook, businessWithKey, genericBook } from "@/testing/fixtures";
import { cartOf, promoApply, promoRedeem, promoRelease, twoSellerCheckout } from "@/testing/promo-api";

const parallel = <T>(n: number, fn: (i: number) => Promise<T>) => Promise.all(Array.from({ length: n }, (_, i) => fn(i)));

async function reserved(code = "SAVE10", overrides: Parameters<typeof genericBook>[2] = {}) {
  const { businessId, token } = await businessWithKey();
  const book = await genericBook(businessId, code, { discountType: "PERCENT", discountValue: 10, ...overrides });
  const res = await promoRedeem({ userId: "ana", code, checkoutId: "chk", cart: cartOf(businessId, 8000, { taxRate: 2100 }) });
  expect(res.body.result).toBe("ACCEPTED");
  return { businessId, token, book, reservation: res.body };
}

describe("POST /api/internal/promo/apply", () => {
  it("consumes the reservation and records the purchase as it was quoted", async () => {
    const { businessId, book, reservation } = await reserved();
    const res = await promoApply({ checkoutId: "chk", orderId: "order-1" });
    expect(res.status).toBe(200);
    expect(res.body.redemptions).toEqual([
      expect.objectContaining({ reservationId: reservation.reservationId, couponBookId: book.id, status: "PR_APPLIED", discountAmount: 800, orderId: "order-1", redeemCount: 1, maxRedeems: 1, isFinalRedeem: true }),
    ]);
    // 8000 − 800 + 500 shipping = 7700, + 21 % tax = 1617
    expect(res.body.purchases).toEqual([
      expect.objectContaining({ businessId, userId: "ana", checkoutId: "chk", orderId: "order-1", subtotal: 8000, discountAmount: 800, total: 9317, currency: "USD", status: "PAID" }),
    ]);
    const [assignment] = await db.select().from(couponAssignments).where(eq(couponAssignments.bookId, book.id));
    expect(assignment).toMatchObject({ status: "REDEEMED", redeemCount: 1, lockCheckoutId: null });
    const audit = await db.select().from(redemptionAudit).where(eq(redemptionAudit.action, "REDEEM"));
    expect(audit).toEqual([expect.objectContaining({ orderId: "order-1", checkoutId: "chk", isFinalRedeem: true, actor: "internal" })]);
  });

  it("the same orderId again returns the first result and consumes nothing more; another orderId is a 409", async () => {
    await reserved("MULTI", { maxRedeemsPerUser: 3 });
    const first = await promoApply({ checkoutId: "chk", orderId: "order-1" });
    const again = await parallel(5, () => promoApply({ checkoutId: "chk", orderId: "order-1" }));
    expect(again.every((r) => r.status === 200 && JSON.stringify(r.body) === JSON.stringify(first.body))).toBe(true);
    const [assignment] = await db.select().from(couponAssignments);
    expect(assignment!.redeemCount).toBe(1);
    expect(await db.select().from(purchases)).toHaveLength(1);

    const other = await promoApply({ checkoutId: "chk", orderId: "order-2" });
    expect(other.status).toBe(409);
    expect(other.body).toMatchObject({ code: "CHECKOUT_ALREADY_REDEEMED", orderId: "order-1" });
  });

  it("parallel applies of one checkout with different orders consume it once", async () => {
    await reserved();
    const results = await parallel(6, (i) => promoApply({ checkoutId: "chk", orderId: `order-${i}` }));
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    expect(results.filter((r) => r.status !== 200).map((r) => [r.status, r.body.code])).toEqual(Array(5).fill([409, "CHECKOUT_ALREADY_REDEEMED"]));
    expect((await db.select().from(redemptions)).filter((r) => r.status === "PR_APPLIED")).toHaveLength(1);
    expect(await db.select().from(purchases)).toHaveLength(1);
  });

  it("after the reservation expired: a clear 409 and nothing consumed", async () => {
    await reserved("BRIEF");
    expect(await backdateLocks(db, { checkoutId: "chk" })).toEqual({ locks: 1, reservations: 1 });
    const res = await promoApply({ checkoutId: "chk", orderId: "late-order" });
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ code: "RESERVATION_EXPIRED", checkoutId: "chk" });
    expect(res.body.error).toMatch(/expired/);
    const [assignment] = await db.select().from(couponAssignments);
    expect(assignment!.redeemCount).toBe(0);
    expect(await db.select().from(purchases)).toHaveLength(0);
    expect((await db.select().from(redemptions)).map((r) => r.status)).toEqual(["PR_RESERVED"]);
  });

  it("applies every seller's coupon of a checkout and records one purchase per seller", async () => {
    const { a, b } = await twoSellerCheckout();
    const res = await promoApply({ checkoutId: "two", orderId: "order-2" });
    expect(res.body.redemptions.map((r: { discountAmount: number }) => r.discountAmount).sort()).toEqual([200, 300]);
    expect(res.body.purchases.map((p: { businessId: string; discountAmount: number }) => [p.businessId, p.discountAmount]).sort()).toEqual(
      [
        [a.businessId, 300],
        [b.businessId, 200],
      ].sort(),
    );
  });

  it("answers 404 for a checkout without coupons and 400 for a malformed body", async () => {
    expect((await promoApply({ checkoutId: "nothing-here", orderId: "o" })).body).toMatchObject({ code: "RESERVATION_NOT_FOUND" });
    expect((await promoApply({ checkoutId: "x" })).status).toBe(400);
    expect((await promoRelease({ checkoutId: "nothing-here" })).status).toBe(404);
  });
});

describe("POST /api/internal/promo/release", () => {
  it("frees a live reservation, idempotently; an apply after it consumes nothing", async () => {
    const { book } = await reserved();
    const first = await promoRelease({ checkoutId: "chk" });
    expect(first.status).toBe(200);
    expect(first.body.redemptions).toEqual([expect.objectContaining({ status: "PR_RELEASED", couponBookId: book.id })]);
    const [assignment] = await db.select().from(couponAssignments);
    expect(assignment).toMatchObject({ status: "ASSIGNED", lockCheckoutId: null });
    expect((await promoRelease({ checkoutId: "chk" })).body).toEqual(first.body);
    expect(await db.select().from(redemptionAudit).where(eq(redemptionAudit.action, "UNLOCK"))).toHaveLength(1);

    const apply = await promoApply({ checkoutId: "chk", orderId: "o-1" });
    expect(apply.status).toBe(409);
    expect(apply.body.code).toBe("RESERVATION_RELEASED");
    // The coupon is free for a new checkout.
    expect((await promoRedeem({ userId: "ana", code: "SAVE10", checkoutId: "chk-2", cart: cartOf(book.businessId) })).body.result).toBe("ACCEPTED");
  });

  it("leaves an applied coupon alone", async () => {
    await reserved();
    await promoApply({ checkoutId: "chk", orderId: "o-1" });
    const res = await promoRelease({ checkoutId: "chk" });
    expect(res.body.redemptions).toEqual([expect.objectContaining({ status: "PR_APPLIED" })]);
  });
});

describe("one ledger behind both API surfaces (DESIGN §4)", () => {
  it("a public lock with a cart is applied by the internal apply; an internal reservation is consumed by the public redeem", async () => {
    const { token, businessId } = await businessWithKey();
    const book = await activeBook(businessId, { codes: 2, overrides: { discountType: "FIXED", discountValue: 250, budgetAmount: 10_000 } });
    const [publicCode, internalCode] = await codesOf(book.id);
    const cart = cartOf(businessId);
    await assignCode({ token }, publicCode!, { userId: "ana" });

    const locked = await lock({ token }, publicCode!, { userId: "ana", checkoutId: "web-1", cart });
    expect(locked.body).toMatchObject({ status: "LOCKED", checkoutId: "web-1", discountAmount: 250 });
    const applied = await promoApply({ checkoutId: "web-1", orderId: "web-order" });
    expect(applied.body.redemptions).toEqual([expect.objectContaining({ status: "PR_APPLIED", discountAmount: 250 })]);

    expect((await promoRedeem({ userId: "bob", code: internalCode, checkoutId: "svc-1", cart })).body.result).toBe("ACCEPTED");
    const redeemed = await redeem({ token }, internalCode!, { userId: "bob", checkoutId: "svc-1", orderId: "svc-order" });
    expect(redeemed.body).toMatchObject({ status: "REDEEMED", isFinalRedeem: true, discountAmount: 250 });
    const rows = await db.select().from(redemptions).orderBy(redemptions.createdAt);
    expect(rows.map((r) => [r.checkoutId, r.status, r.discountAmount])).toEqual([
      ["web-1", "PR_APPLIED", 250],
      ["svc-1", "PR_APPLIED", 250],
    ]);
  });

  it("a budget-capped book needs a cart on the public lock", async () => {
    const { token, businessId } = await businessWithKey();
    const book = await activeBook(businessId, { codes: 1, overrides: { discountType: "FIXED", discountValue: 250, budgetAmount: 1000 } });
    const [code] = await codesOf(book.id);
    await assignCode({ token }, code!, { userId: "ana" });
    const res = await lock({ token }, code!, { userId: "ana" });
    expect(res.status).toBe(400);
    expect(res.body.details[0].path).toEqual(["cart"]);
    const notApplicable = await lock({ token }, code!, { userId: "ana", cart: { ...cartOf(businessId), currency: "EUR" } });
    expect(notApplicable.status).toBe(422);
    expect(notApplicable.body).toMatchObject({ code: "COUPON_NOT_APPLICABLE", reason: "CURRENCY_MISMATCH" });
  });
});
