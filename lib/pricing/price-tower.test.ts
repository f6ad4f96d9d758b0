import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MAX_MONEY, mulDivHalfUp } from "./money";
import { priceCart, quoteCoupon, type CouponTerms } from "./price-tower";
import { Cart } from "./schemas";

const SELLER = "11111111-1111-4111-8111-111111111111";
const OTHER = "22222222-2222-4222-8222-222222222222";
const THIRD = "33333333-3333-4333-8333-333333333333";

const terms = (overrides: Partial<CouponTerms> = {}): CouponTerms => ({
  couponBookId: "book-1",
  businessId: SELLER,
  discountType: "PERCENT",
  discountValue: 10,
  currency: "EUR",
  minOrderAmount: 0,
  maxDiscountAmount: null,
  remainingBudget: null,
  ...overrides,
});

const cart = (input: unknown) => Cart.parse(input);
const basic = cart({
  currency: "EUR",
  items: [
    { sku: "tee", businessId: SELLER, unitPrice: 2000, quantity: 2, itemDiscount: 500 },
    { sku: "mug", businessId: OTHER, unitPrice: 1000, quantity: 1 },
  ],
  shipping: 499,
  taxRate: 2100,
});

describe("mulDivHalfUp", () => {
  it("rounds half up to the minor unit", () => {
    expect(mulDivHalfUp(1005, 10, 100)).toBe(101); // 100.5
    expect(mulDivHalfUp(1004, 10, 100)).toBe(100); // 100.4
    expect(mulDivHalfUp(333, 15, 100)).toBe(50); // 49.95
    expect(mulDivHalfUp(999, 2100, 10_000)).toBe(210); // 209.79
    expect(mulDivHalfUp(0, 2100, 10_000)).toBe(0);
  });
});

describe("price tower", () => {
  it("prices a cart without a coupon line by line", () => {
    const tower = priceCart(basic);
    expect(tower).toMatchObject({
      itemsAmount: 5000,
      itemDiscounts: 500,
      subtotal: 4500,
      couponDiscount: 0,
      shipping: 499,
      shippingDiscount: 0,
      taxableAmount: 4999,
      tax: 1050, // 1049.79
      total: 6049,
      coupon: null,
    });
  });

  it("PERCENT discounts only the coupon seller's items, after their item discounts, before tax", () => {
    const quote = quoteCoupon(basic, terms({ discountValue: 10 }));
    expect(quote.applicable).toBe(true);
    expect(quote.discountAmount).toBe(350); // 10 % of 3500 (4000 list − 500 item discount); the mug is untouched
    expect(quote.tower).toMatchObject({ subtotal: 4500, couponDiscount: 350, taxableAmount: 4649, tax: 976, total: 5625 });
    expect(quote.tower.coupon).toMatchObject({ eligibleSubtotal: 3500, discountAmount: 350, cappedBy: null });
    expect(quote.tower.items.find((i) => i.sku === "mug")).toMatchObject({ netAmount: 1000, couponEligible: false });
  });

  it("FIXED takes its amount off, never more than the eligible items are worth", () => {
    expect(quoteCoupon(basic, terms({ discountType: "FIXED", discountValue: 1000 })).discountAmount).toBe(1000);
    const capped = quoteCoupon(basic, terms({ discountType: "FIXED", discountValue: 9999 }));
    expect(capped.discountAmount).toBe(3500);
    expect(capped.tower.subtotal - capped.tower.couponDiscount).toBe(1000); // only the other seller's mug is left
  });

  it("FREE_SHIPPING zeroes shipping; with nothing to ship it is not applicable", () => {
    const quote = quoteCoupon(basic, terms({ discountType: "FREE_SHIPPING", discountValue: 0 }));
    expect(quote).toMatchObject({ applicable: true, discountAmount: 499 });
    expect(quote.tower).toMatchObject({ couponDiscount: 0, shippingDiscount: 499, taxableAmount: 4500, tax: 945, total: 5445 });
    const noShipping = quoteCoupon(cart({ ...basic, shipping: 0 }), terms({ discountType: "FREE_SHIPPING", discountValue: 0 }));
    expect(noShipping).toMatchObject({ applicable: false, reason: "NOTHING_TO_DISCOUNT", discountAmount: 0 });
  });

  it("the minimum order counts the eligible items: exactly at the minimum applies, one cent below does not", () => {
    expect(quoteCoupon(basic, terms({ minOrderAmount: 3500 })).applicable).toBe(true);
    expect(quoteCoupon(basic, terms({ minOrderAmount: 3501 }))).toMatchObject({ applicable: false, reason: "BELOW_MINIMUM" });
  });

  it("caps by maxDiscountAmount, then by the remaining budget", () => {
    expect(quoteCoupon(basic, terms({ discountValue: 50, maxDiscountAmount: 1000 })).tower.coupon).toMatchObject({
      discountAmount: 1000,
      cappedBy: "MAX_DISCOUNT",
    });
    expect(quoteCoupon(basic, terms({ discountValue: 50, maxDiscountAmount: 1000, remainingBudget: 300 })).tower.coupon).toMatchObject({
      discountAmount: 300,
      cappedBy: "BUDGET",
    });
    expect(quoteCoupon(basic, terms({ discountType: "FREE_SHIPPING", maxDiscountAmount: 200 })).tower).toMatchObject({
      shippingDiscount: 200,
      shipping: 499,
    });
  });

  it("is not applicable for another currency or a cart without the seller's items", () => {
    expect(quoteCoupon(basic, terms({ currency: "USD" }))).toMatchObject({ applicable: false, reason: "CURRENCY_MISMATCH" });
    expect(quoteCoupon(basic, terms({ businessId: THIRD }))).toMatchObject({ applicable: false, reason: "NO_ELIGIBLE_ITEMS" });
    const unapplied = quoteCoupon(basic, terms({ currency: "USD" }));
    expect(unapplied.tower).toEqual(priceCart(basic));
  });

  it("rounds a percent of an odd amount once, half up", () => {
    const odd = cart({ currency: "EUR", items: [{ sku: "a", businessId: SELLER, unitPrice: 335, quantity: 3 }], taxRate: 1000 });
    const quote = quoteCoupon(odd, terms({ discountValue: 15 }));
    expect(quote.discountAmount).toBe(151); // 15 % of 1005 = 150.75
    expect(quote.tower).toMatchObject({ taxableAmount: 854, tax: 85, total: 939 }); // 85.4
  });

  it("refuses an item discount larger than its line", () => {
    expect(Cart.safeParse({ currency: "EUR", items: [{ sku: "a", businessId: SELLER, unitPrice: 100, quantity: 1, itemDiscount: 101 }] }).success).toBe(false);
  });
});

const businessArb = fc.constantFrom(SELLER, OTHER, THIRD);
const itemArb = fc
  .record({
    sku: fc.string({ minLength: 1, maxLength: 8 }).filter((s) => s.trim().length > 0),
    businessId: businessArb,
    unitPrice: fc.integer({ min: 0, max: 500_000 }),
    quantity: fc.integer({ min: 1, max: 50 }),
    discountShare: fc.double({ min: 0, max: 1, noNaN: true }),
  })
  .map(({ discountShare, ...item }) => ({ ...item, itemDiscount: Math.floor(item.unitPrice * item.quantity * discountShare) }));
const cartArb = fc
  .record({
    currency: fc.constant("EUR"),
    items: fc.array(itemArb, { minLength: 1, maxLength: 8 }),
    shipping: fc.integer({ min: 0, max: 20_000 }),
    taxRate: fc.integer({ min: 0, max: 3_000 }),
  })
  .map((raw) => Cart.parse(raw));
const termsArb = fc
  .record({
    discountType: fc.constantFrom("PERCENT" as const, "FIXED" as const, "FREE_SHIPPING" as const),
    percent: fc.integer({ min: 1, max: 100 }),
    fixed: fc.integer({ min: 1, max: 1_000_000 }),
    minOrderAmount: fc.integer({ min: 0, max: 200_000 }),
    maxDiscountAmount: fc.option(fc.integer({ min: 1, max: 500_000 }), { nil: null }),
    remainingBudget: fc.option(fc.integer({ min: 1, max: 500_000 }), { nil: null }),
  })
  .map(({ percent, fixed, ...rest }) => terms({ ...rest, discountValue: rest.discountType === "PERCENT" ? percent : rest.discountType === "FIXED" ? fixed : 0 }));

describe("price tower properties", () => {
  it("never goes negative and adds up line by line", () => {
    fc.assert(
      fc.property(cartArb, termsArb, (c, t) => {
        const { tower } = quoteCoupon(c, t);
        expect(tower.total).toBeGreaterThanOrEqual(0);
        expect(tower.subtotal).toBe(tower.itemsAmount - tower.itemDiscounts);
        expect(tower.taxableAmount).toBe(tower.subtotal - tower.couponDiscount + tower.shipping - tower.shippingDiscount);
        expect(tower.tax).toBe(mulDivHalfUp(tower.taxableAmount, tower.taxRate, 10_000));
        expect(tower.total).toBe(tower.taxableAmount + tower.tax);
      }),
    );
  });

  it("never discounts more than the eligible items (or shipping), maxDiscountAmount or the remaining budget", () => {
    fc.assert(
      fc.property(cartArb, termsArb, (c, t) => {
        const quote = quoteCoupon(c, t);
        if (!quote.applicable) return;
        const eligible = quote.tower.coupon!.eligibleSubtotal;
        expect(quote.discountAmount).toBeGreaterThan(0);
        expect(quote.tower.couponDiscount).toBeLessThanOrEqual(eligible);
        expect(quote.tower.shippingDiscount).toBeLessThanOrEqual(c.shipping);
        if (t.discountType !== "FREE_SHIPPING") expect(quote.tower.shippingDiscount).toBe(0);
        if (t.maxDiscountAmount !== null) expect(quote.discountAmount).toBeLessThanOrEqual(t.maxDiscountAmount);
        if (t.remainingBudget !== null) expect(quote.discountAmount).toBeLessThanOrEqual(t.remainingBudget);
        expect(quote.discountAmount).toBe(quote.tower.couponDiscount + quote.tower.shippingDiscount);
        expect(eligible).toBeGreaterThanOrEqual(t.minOrderAmount);
      }),
    );
  });

  it("leaves other sellers' items untouched: changing them never changes the discount", () => {
    fc.assert(
      fc.property(cartArb, termsArb, fc.array(itemArb, { maxLength: 4 }), (c, t, extra) => {
        const others = extra.map((item) => ({ ...item, businessId: item.businessId === SELLER ? OTHER : item.businessId }));
        const before = quoteCoupon(c, t);
        const after = quoteCoupon(Cart.parse({ ...c, items: [...c.items, ...others] }), t);
        if (before.applicable) {
          expect(after.applicable).toBe(true);
          expect(after.discountAmount).toBe(before.discountAmount);
        }
        const othersNet = after.tower.items.filter((i) => !i.couponEligible).reduce((s, i) => s + i.netAmount, 0);
        expect(after.tower.subtotal - after.tower.couponDiscount).toBeGreaterThanOrEqual(othersNet);
      }),
    );
  });

  it("is not applicable exactly when a condition fails, and then changes nothing", () => {
    fc.assert(
      fc.property(cartArb, termsArb, (c, t) => {
        const quote = quoteCoupon(c, t);
        const eligible = c.items.filter((i) => i.businessId === t.businessId).reduce((s, i) => s + i.unitPrice * i.quantity - i.itemDiscount, 0);
        const hasItems = c.items.some((i) => i.businessId === t.businessId);
        const uncapped =
          t.discountType === "PERCENT" ? mulDivHalfUp(eligible, t.discountValue, 100) : t.discountType === "FIXED" ? Math.min(t.discountValue, eligible) : c.shipping;
        expect(quote.applicable).toBe(hasItems && eligible >= t.minOrderAmount && uncapped > 0);
        if (!quote.applicable) expect(quote.tower).toEqual(priceCart(c));
      }),
    );
  });
});

describe("money range (MAX_MONEY minor units)", () => {
  const one = (unitPrice: number, extra: Record<string, unknown> = {}, quantity = 1) =>
    Cart.safeParse({ currency: "IDR", items: [{ sku: "a", businessId: SELLER, unitPrice, quantity }], ...extra });
  const paths = (result: ReturnType<typeof one>) => (result.success ? [] : result.error.issues.map((i) => i.path.join(".")));

  it("accepts a cart whose total is exactly MAX_MONEY and prices it exactly", () => {
    const parsed = one(MAX_MONEY - 1000, { shipping: 1000 });
    expect(parsed.success).toBe(true);
    const quote = quoteCoupon(parsed.data!, terms({ currency: "IDR", discountType: "FIXED", discountValue: MAX_MONEY }));
    expect(quote).toMatchObject({ applicable: true, discountAmount: MAX_MONEY - 1000 });
    expect(priceCart(parsed.data!)).toMatchObject({ itemsAmount: MAX_MONEY - 1000, subtotal: MAX_MONEY - 1000, total: MAX_MONEY });
  });

  it("refuses an amount past MAX_MONEY with the path of the field or of the tower line it overflows", () => {
    expect(paths(one(MAX_MONEY + 1))).toContain("items.0.unitPrice");
    expect(paths(one(1, { shipping: MAX_MONEY + 1 }))).toContain("shipping");
    expect(paths(one(MAX_MONEY, {}, 2))).toEqual(["items.0.quantity", "items"]);
    expect(paths(one(MAX_MONEY, { shipping: 1 }))).toEqual(["total"]);
    // 21 % tax on an amount that fits is what pushes it past the maximum.
    expect(paths(one(900_000_000_000_000, { taxRate: 2100 }))).toEqual(["total"]);
    const items = Array.from({ length: 3 }, (_, i) => ({ sku: `s${i}`, businessId: SELLER, unitPrice: MAX_MONEY / 2, quantity: 1, itemDiscount: MAX_MONEY / 2 }));
    expect(paths(Cart.safeParse({ currency: "IDR", items }))).toEqual(["items"]);
  });

  it("a tax at the highest rate stays inside the range up to the last minor unit", () => {
    expect(one(MAX_MONEY / 2, { taxRate: 10_000 }).success).toBe(true);
    expect(paths(one(MAX_MONEY / 2 + 1, { taxRate: 10_000 }))).toEqual(["total"]);
  });

  // Large carts: every cart the schema accepts prices to exact safe integers within the range.
  const bigCartArb = fc
    .record({
      lines: fc.array(fc.record({ quantity: fc.integer({ min: 1, max: 100_000 }), share: fc.double({ min: 0, max: 1, noNaN: true }), discount: fc.double({ min: 0, max: 1, noNaN: true }), business: businessArb }), {
        minLength: 1,
        maxLength: 6,
      }),
      scale: fc.constantFrom(1, 1.5, 3),
      shipping: fc.integer({ min: 0, max: MAX_MONEY }),
      taxRate: fc.integer({ min: 0, max: 10_000 }),
    })
    .map(({ lines, scale, shipping, taxRate }) => ({
      currency: "EUR",
      shipping,
      taxRate,
      items: lines.map((line, i) => {
        const unitPrice = Math.floor((line.share * scale * MAX_MONEY) / lines.length / line.quantity);
        return { sku: `s${i}`, businessId: line.business, unitPrice, quantity: line.quantity, itemDiscount: Math.floor(unitPrice * line.quantity * line.discount) };
      }),
    }));
  const bigTermsArb = fc.record({
    discountType: fc.constantFrom("PERCENT" as const, "FIXED" as const, "FREE_SHIPPING" as const),
    percent: fc.integer({ min: 1, max: 100 }),
    fixed: fc.integer({ min: 1, max: MAX_MONEY }),
    maxDiscountAmount: fc.option(fc.integer({ min: 1, max: MAX_MONEY }), { nil: null }),
    remainingBudget: fc.option(fc.integer({ min: 1, max: MAX_MONEY }), { nil: null }),
  });

  it("accepts exactly the carts whose priced lines fit, and prices them in exact safe integers", () => {
    fc.assert(
      fc.property(bigCartArb, bigTermsArb, (raw, t) => {
        const lines = raw.items.map((i) => BigInt(i.unitPrice) * BigInt(i.quantity));
        const itemsAmount = lines.reduce((a, b) => a + b, 0n);
        const taxable = itemsAmount - raw.items.reduce((a, i) => a + BigInt(i.itemDiscount), 0n) + BigInt(raw.shipping);
        const total = taxable + (taxable * BigInt(raw.taxRate) * 2n + 10_000n) / 20_000n;
        const fits = itemsAmount <= BigInt(MAX_MONEY) && total <= BigInt(MAX_MONEY);
        const parsed = Cart.safeParse(raw);
        expect(parsed.success).toBe(fits);
        if (!parsed.success) return;
        const quote = quoteCoupon(
          parsed.data,
          terms({ ...t, minOrderAmount: 0, discountValue: t.discountType === "PERCENT" ? t.percent : t.discountType === "FIXED" ? t.fixed : 0 }),
        );
        const { tower } = quote;
        const amounts = [
          ...tower.items.flatMap((i) => [i.listAmount, i.itemDiscount, i.netAmount]),
          tower.itemsAmount,
          tower.itemDiscounts,
          tower.subtotal,
          tower.couponDiscount,
          tower.shipping,
          tower.shippingDiscount,
          tower.taxableAmount,
          tower.tax,
          tower.total,
          quote.discountAmount,
        ];
        for (const amount of amounts) {
          expect(Number.isSafeInteger(amount)).toBe(true);
          expect(amount).toBeGreaterThanOrEqual(0);
          expect(amount).toBeLessThanOrEqual(MAX_MONEY);
        }
        expect(BigInt(tower.itemsAmount)).toBe(itemsAmount);
        expect(tower.taxableAmount).toBe(tower.subtotal - tower.couponDiscount + tower.shipping - tower.shippingDiscount);
        expect(tower.total).toBe(tower.taxableAmount + tower.tax);
        if (!quote.applicable || quote.tower.couponDiscount + quote.tower.shippingDiscount === 0) expect(BigInt(tower.total)).toBe(total);
      }),
    );
  });
});
