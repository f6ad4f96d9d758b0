import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { PATCH, PUT } from "@/app/api/coupon-books/[id]/route";
import { POST as create } from "@/app/api/coupon-books/route";
import { db } from "@/db/client";
import { couponBooks, opsAlerts, purchases, redemptions } from "@/db/schema";
import { runReconciliation } from "@/lib/maintenance/reconciliation";
import { MAX_MONEY } from "@/lib/pricing/money";
import { assignCode, codesOf, lock, redeem } from "@/testing/coupon-api";
import { activeBook, businessWithKey, genericBook } from "@/testing/fixtures";
import { call, type CallResult } from "@/testing/http";
import { promoApply, promoRedeem, validate } from "@/testing/promo-api";

/** One past what an int4 column holds: the amount that used to answer 500 (22003). */
const PAST_INT = 2_147_483_648;
const MONEY_FIELDS = ["discountValue", "minOrderAmount", "maxDiscountAmount", "budgetAmount"] as const;

const paths = (res: CallResult) => (res.body.details as Array<{ path: Array<string | number> }>).map((d) => d.path.join("."));

function expectRefused(res: CallResult, path: string) {
  expect(res.status).toBe(400);
  expect(res.body.code).toBe("VALIDATION_ERROR");
  expect(paths(res)).toContain(path);
}

describe("money fields of a book: 2^31 and MAX_MONEY are stored exactly, MAX_MONEY + 1 is a 400", () => {
  const createBook = (token: string, body: Record<string, unknown>) =>
    call(create, { path: "/api/coupon-books", token, body: { name: "Big money", discountType: "FIXED", discountValue: 100, currency: "IDR", ...body } });
  const stored = async (id: string) => (await db.select().from(couponBooks).where(eq(couponBooks.id, id)))[0]!;

  it.each(MONEY_FIELDS)("POST %s", async (field) => {
    const { token } = await businessWithKey();
    for (const value of [PAST_INT, MAX_MONEY]) {
      const res = await createBook(token, { [field]: value });
      expect(res.status).toBe(201);
      expect(res.body[field]).toBe(value);
      expect((await stored(res.body.id))[field]).toBe(value);
    }
    expectRefused(await createBook(token, { [field]: MAX_MONEY + 1 }), field);
  });

  it.each(MONEY_FIELDS)("PUT and PATCH %s", async (field) => {
    const { token } = await businessWithKey();
    const book = (await createBook(token, {})).body;
    for (const [method, route] of [
      ["PUT", PUT],
      ["PATCH", PATCH],
    ] as const) {
      const update = (value: number) => call(route, { method, path: `/api/coupon-books/${book.id}`, params: { id: book.id }, token, body: { [field]: value } });
      for (const value of [PAST_INT, MAX_MONEY]) {
        const res = await update(value);
        expect(res.status).toBe(200);
        expect(res.body[field]).toBe(value);
        expect((await stored(book.id))[field]).toBe(value);
      }
      expectRefused(await update(MAX_MONEY + 1), field);
      expect((await stored(book.id))[field]).toBe(MAX_MONEY);
    }
  });
});

describe("carts past 2^31 − 1 minor units", () => {
  /** A cart of one seller: 3,000,000,000 + 1,000,000,000 of items, 500 shipping, 21 % tax. */
  const bigCart = (businessId: string, extra: Record<string, unknown> = {}) => ({
    currency: "IDR",
    items: [
      { sku: "tv", businessId, unitPrice: 1_500_000_000, quantity: 2 },
      { sku: "sofa", businessId, unitPrice: 1_000_000_000, quantity: 1 },
    ],
    shipping: 500,
    taxRate: 2100,
    ...extra,
  });
  // Subtotal and total both pass 2^31 − 1: (4,000,000,000 − 2,147,483,648 + 500) × 1.21 = 2,241,545,390.92 → 2,241,545,391
  const quoted = { subtotal: 4_000_000_000, discount: PAST_INT, total: 2_241_545_391 };
  const terms = { discountType: "FIXED", discountValue: PAST_INT, currency: "IDR", minOrderAmount: PAST_INT, budgetAmount: MAX_MONEY } as const;

  it("validate, internal redeem and apply price them exactly and the ledger and purchase keep the amounts", async () => {
    const { token, businessId } = await businessWithKey();
    await genericBook(businessId, "BIGSAVE", terms);
    const cart = bigCart(businessId);

    const quote = await validate({ token }, "BIGSAVE", { userId: "ana", cart });
    expect(quote.status).toBe(200);
    expect(quote.body).toMatchObject({ result: "ACCEPTED", discountAmount: quoted.discount });
    expect(quote.body.priceTower).toMatchObject({ itemsAmount: quoted.subtotal, subtotal: quoted.subtotal, couponDiscount: quoted.discount, total: quoted.total });

    const reserved = await promoRedeem({ userId: "ana", code: "BIGSAVE", checkoutId: "chk-big", cart });
    expect(reserved.body).toMatchObject({ result: "ACCEPTED", discountAmount: quoted.discount });
    expect(reserved.body.priceTower).toEqual(quote.body.priceTower);

    const applied = await promoApply({ checkoutId: "chk-big", orderId: "order-big" });
    expect(applied.status).toBe(200);
    expect(applied.body.purchases).toEqual([expect.objectContaining({ subtotal: quoted.subtotal, discountAmount: quoted.discount, total: quoted.total })]);
    const [row] = await db.select().from(redemptions);
    expect(row).toMatchObject({ status: "PR_APPLIED", discountAmount: quoted.discount, orderSubtotal: quoted.subtotal, orderTotal: quoted.total });
    const [purchase] = await db.select().from(purchases);
    expect(purchase).toMatchObject({ subtotal: quoted.subtotal, discountAmount: quoted.discount, total: quoted.total });

    // The reconciliation job sums the ledger's discounts in SQL: past 2^31 − 1 as well.
    expect(await runReconciliation(db)).toMatchObject({ purchaseDiffs: 0 });
    await db.update(purchases).set({ discountAmount: quoted.discount + 1 }).where(eq(purchases.id, purchase!.id));
    expect(await runReconciliation(db)).toMatchObject({ purchaseDiffs: 1 });
    const [alert] = await db.select().from(opsAlerts);
    expect(alert!.payload).toMatchObject({ purchases: [{ discountAmount: quoted.discount + 1, appliedDiscount: quoted.discount }] });
  });

  it("a public lock with the cart, then redeem, and a direct redeem from ASSIGNED keep the exact amounts", async () => {
    const { token, businessId } = await businessWithKey();
    const book = await activeBook(businessId, { codes: 2, overrides: terms });
    const [first, second] = await codesOf(book.id);
    const cart = bigCart(businessId);
    expect((await assignCode({ token }, first!, { userId: "ana" })).status).toBe(201);
    expect((await assignCode({ token }, second!, { userId: "ben" })).status).toBe(201);

    const locked = await lock({ token }, first!, { userId: "ana", checkoutId: "chk-lock", cart });
    expect(locked.status).toBe(200);
    expect(locked.body.discountAmount).toBe(quoted.discount);
    expect((await redeem({ token }, first!, { userId: "ana", orderId: "order-lock" })).status).toBe(200);
    const direct = await redeem({ token }, second!, { userId: "ben", checkoutId: "chk-direct", orderId: "order-direct", cart });
    expect(direct.status).toBe(200);

    const rows = await db.select().from(redemptions).where(eq(redemptions.bookId, book.id));
    expect(rows.map((r) => [r.checkoutId, r.status, r.discountAmount, r.orderSubtotal, r.orderTotal]).sort()).toEqual([
      ["chk-direct", "PR_APPLIED", quoted.discount, quoted.subtotal, quoted.total],
      ["chk-lock", "PR_APPLIED", quoted.discount, quoted.subtotal, quoted.total],
    ]);
  });

  it("a cart past MAX_MONEY is a 400 naming what overflowed on every route that takes a cart, never a 500", async () => {
    const { token, businessId } = await businessWithKey();
    const book = await activeBook(businessId, { codes: 1, overrides: terms });
    const [code] = await codesOf(book.id);
    await assignCode({ token }, code!, { userId: "ana" });
    await genericBook(businessId, "BIGSAVE", terms);

    const carts: Array<[Record<string, unknown>, string]> = [
      [bigCart(businessId, { shipping: MAX_MONEY + 1 }), "cart.shipping"],
      [bigCart(businessId, { items: [{ sku: "a", businessId, unitPrice: MAX_MONEY + 1, quantity: 1 }] }), "cart.items.0.unitPrice"],
      [bigCart(businessId, { items: [{ sku: "a", businessId, unitPrice: MAX_MONEY, quantity: 2 }] }), "cart.items.0.quantity"],
      [bigCart(businessId, { items: [{ sku: "a", businessId, unitPrice: MAX_MONEY, quantity: 1 }], taxRate: 0, shipping: 1 }), "cart.total"],
    ];
    for (const [cart, path] of carts) {
      expectRefused(await validate({ token }, "BIGSAVE", { userId: "ana", cart }), path);
      expectRefused(await promoRedeem({ userId: "ana", code: "BIGSAVE", checkoutId: "chk", cart }), path);
      expectRefused(await lock({ token }, code!, { userId: "ana", checkoutId: "chk", cart }), path);
      expectRefused(await redeem({ token }, code!, { userId: "ana", checkoutId: "chk", orderId: "o", cart }), path);
    }
    expect(await db.select().from(redemptions)).toHaveLength(0);
  });

  it("a cart whose total is exactly MAX_MONEY is priced and reserved", async () => {
    const { businessId } = await businessWithKey();
    await genericBook(businessId, "BIGSAVE", { ...terms, budgetAmount: null });
    const cart = bigCart(businessId, { items: [{ sku: "a", businessId, unitPrice: MAX_MONEY / 2, quantity: 1 }], shipping: 0, taxRate: 10_000 });
    const res = await promoRedeem({ userId: "ana", code: "BIGSAVE", checkoutId: "chk-max", cart });
    expect(res.body).toMatchObject({ result: "ACCEPTED", discountAmount: PAST_INT });
    expect(res.body.priceTower).toMatchObject({ subtotal: MAX_MONEY / 2, total: MAX_MONEY - 2 * PAST_INT });
    const [row] = await db.select().from(redemptions);
    expect(row).toMatchObject({ orderSubtotal: MAX_MONEY / 2, orderTotal: MAX_MONEY - 2 * PAST_INT });
  });
});
