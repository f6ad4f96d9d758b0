import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "@/db/client";
import { assignCode, codesOf } from "@/testing/coupon-api";
import { activeBook, businessWithKey, genericBook } from "@/testing/fixtures";
import { sessionCookie, testUserId } from "@/testing/http";
import { cartOf, internal, promoRedeem, validate } from "@/testing/promo-api";

async function rowCounts() {
  const [row] = await db.execute<Record<string, number>>(sql`
    select (select count(*) from coupon_assignments)::int as assignments, (select count(*) from redemptions)::int as redemptions,
           (select count(*) from redemption_audit)::int as audit, (select count(*) from promo_attempts)::int as attempts,
           (select count(*) from coupon_codes where status = 'ASSIGNED')::int as assigned_codes`);
  return row!;
}

describe("POST /api/coupons/:code/validate", () => {
  it("quotes exactly what the redeem then does, and leaves nothing behind but its attempt", async () => {
    const { token, businessId } = await businessWithKey();
    const book = await activeBook(businessId, { codes: 2, overrides: { discountType: "PERCENT", discountValue: 15, maxDiscountAmount: 1200, budgetAmount: 50_000 } });
    const [code] = await codesOf(book.id);
    const cart = cartOf(businessId, 9999, { taxRate: 2100 });
    const before = await rowCounts();

    const quote = await validate({ token }, code!.toLowerCase(), { userId: "ana", cart });
    expect(quote.status).toBe(200);
    expect(quote.body).toMatchObject({ code, result: "ACCEPTED", applicable: true, couponBookId: book.id, discountAmount: 1200 });
    expect(quote.body.priceTower.coupon).toMatchObject({ cappedBy: "MAX_DISCOUNT", eligibleSubtotal: 9999 });
    // A quote is a try of the code: the guard sees it (its row is written after the rollback).
    expect(await rowCounts()).toEqual({ ...before, attempts: before.attempts! + 1 });

    const redeemed = await promoRedeem({ userId: "ana", code, checkoutId: "chk", cart });
    expect(redeemed.body.discountAmount).toBe(quote.body.discountAmount);
    expect(redeemed.body.priceTower).toEqual(quote.body.priceTower);
  });

  it("gives sellers and API keys every reason, including for unknown codes and carts without their items", async () => {
    const { token, businessId } = await businessWithKey();
    const other = await businessWithKey();
    await genericBook(businessId, "MIN20", { discountType: "FIXED", discountValue: 100, minOrderAmount: 2000 });
    const cases: Array<[string, unknown, string, string]> = [
      ["NOPE-999", cartOf(businessId), "INVALID", "UNKNOWN_CODE"],
      ["MIN20", cartOf(businessId, 1999), "NOT_APPLICABLE", "BELOW_MINIMUM"],
      ["MIN20", cartOf(other.businessId), "NOT_APPLICABLE", "NO_ELIGIBLE_ITEMS"],
    ];
    for (const [code, cart, result, reason] of cases) {
      const res = await validate({ token }, code, { userId: "ana", cart });
      expect(res.body).toMatchObject({ result, reason, applicable: false, discountAmount: 0 });
    }
    const seller = await sessionCookie({ uid: "seller-1", role: "seller", businessId });
    expect((await validate({ cookie: seller }, "MIN20", { userId: "ana", cart: cartOf(businessId) })).body.result).toBe("ACCEPTED");
  });

  it("answers shoppers INVALID without a reason for codes that are not theirs; they quote their own and public codes", async () => {
    const { token, businessId } = await businessWithKey();
    const book = await activeBook(businessId, { codes: 3, overrides: { discountType: "FIXED", discountValue: 100 } });
    const [mine, someoneElses, unassigned] = await codesOf(book.id);
    await assignCode({ token }, mine!, { userId: testUserId("shopper-1") });
    await assignCode({ token }, someoneElses!, { userId: "shopper-2" });
    await genericBook(businessId, "PUBLIC5", { discountType: "FIXED", discountValue: 500 });
    const shopper = { cookie: await sessionCookie({ uid: "shopper-1", role: "shopper" }) };
    const cart = cartOf(businessId);

    const results = [];
    for (const code of ["NOPE-1234", someoneElses!, unassigned!]) results.push((await validate(shopper, code, { cart })).body);
    expect(results.every((r) => r.result === "INVALID" && r.reason === undefined)).toBe(true);
    expect((await validate(shopper, mine!, { cart })).body).toMatchObject({ result: "ACCEPTED", discountAmount: 100 });
    expect((await validate(shopper, "public5", { cart })).body).toMatchObject({ result: "ACCEPTED", discountAmount: 500 });
    expect((await validate(shopper, mine!, { userId: "shopper-2", cart })).status).toBe(403);
  });

  it("reuses the checkout's own reservation and sees stacking in it", async () => {
    const { businessId } = await businessWithKey();
    await genericBook(businessId, "FIRST5", { discountType: "FIXED", discountValue: 500 });
    await genericBook(businessId, "SECOND5", { discountType: "FIXED", discountValue: 500 });
    const cart = cartOf(businessId);
    await promoRedeem({ userId: "ana", code: "FIRST5", checkoutId: "chk", cart });
    expect((await validate(internal(), "FIRST5", { userId: "ana", cart, checkoutId: "chk" })).body.result).toBe("ACCEPTED");
    expect((await validate(internal(), "SECOND5", { userId: "ana", cart, checkoutId: "chk" })).body).toMatchObject({
      result: "NOT_APPLICABLE",
      reason: "STACKING",
    });
  });

  it("answers 400 for a missing or malformed cart", async () => {
    const { token } = await businessWithKey();
    expect((await validate({ token }, "ANY-CODE", { userId: "ana" })).status).toBe(400);
    expect((await validate({ token }, "ANY-CODE", { userId: "ana", cart: { currency: "USD", items: [{ sku: "x", businessId: "nope", unitPrice: 1, quantity: 1 }] } })).status).toBe(400);
  });
});
