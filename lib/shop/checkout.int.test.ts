import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "@/db/client";
import { backdateLocks } from "@/db/testing/backdate-locks";
import { businesses, couponAssignments, products, redemptions, shopCarts, shopOrders } from "@/db/schema";
import type { ShopperActor } from "@/lib/auth/actor";
import { genericBook } from "@/testing/fixtures";
import { viewCart } from "./cart";
import { applyCoupon, placeOrder, removeCoupon, setCartLine } from "./checkout";
import { getOrder } from "./get-order";
import { STORE } from "./store";

const META = { ip: "203.0.113.9", userAgent: "vitest" };
const shopper = (userId = "shopper-ana"): ShopperActor => ({ kind: "user", role: "shopper", userId });

/** Two sellers with two products each; Demo's book WELCOME10 (GENERIC, 10 %, once per shopper). */
async function store(bookOverrides: Parameters<typeof genericBook>[2] = {}) {
  const [demo] = await db.insert(businesses).values({ name: "Demo" }).returning();
  const [trail] = await db.insert(businesses).values({ name: "Trail" }).returning();
  const [tee, mug, socks, lamp] = await db
    .insert(products)
    .values([
      { businessId: demo!.id, sku: "TEE", name: "Tee", unitPrice: 2500 },
      { businessId: demo!.id, sku: "MUG", name: "Mug", unitPrice: 1200 },
      { businessId: trail!.id, sku: "SOCK", name: "Socks", unitPrice: 1400 },
      { businessId: trail!.id, sku: "LAMP", name: "Lamp", unitPrice: 3500 },
    ])
    .returning();
  const book = await genericBook(demo!.id, "WELCOME10", { discountType: "PERCENT", discountValue: 10, ...bookOverrides });
  return { demo: demo!, trail: trail!, tee: tee!, mug: mug!, socks: socks!, lamp: lamp!, book };
}

/** A cart of 2 tees (Demo, 50.00) and 1 lamp (Trail, 35.00). */
async function twoSellerCart(s: Awaited<ReturnType<typeof store>>, who = shopper()) {
  await setCartLine(db, who, { productId: s.tee.id, quantity: 2 }, META);
  await setCartLine(db, who, { productId: s.lamp.id, quantity: 1 }, META);
  return viewCart(db, who);
}

const appliedRedemptions = async (bookId: string) =>
  db.select().from(redemptions).where(and(eq(redemptions.bookId, bookId), eq(redemptions.status, "PR_APPLIED")));

describe("the shop's cart and checkout (lib/shop)", () => {
  it("a seller's coupon discounts only that seller's items in a two-seller cart", async () => {
    const s = await store();
    const cart = await twoSellerCart(s);
    const answer = await applyCoupon(db, shopper(), { checkoutId: cart.checkoutId, code: " welcome10 " }, META);
    expect(answer).toMatchObject({ result: "ACCEPTED", message: "Coupon applied." });
    const tower = answer.cart.tower!;
    // 10 % of Demo's 50.00 only; Trail's 35.00 is not touched.
    expect(tower.couponDiscount).toBe(500);
    expect(tower.items.map((i) => [i.sku, i.couponEligible])).toEqual([
      ["TEE", true],
      ["LAMP", false],
    ]);
    expect(tower.coupon).toMatchObject({ businessId: s.demo.id, eligibleSubtotal: 5000 });
    // 8500 − 500 + 4.99 shipping = 8499, 8 % tax = 680 (half up)
    expect([tower.subtotal, tower.shipping, tower.taxableAmount, tower.tax, tower.total]).toEqual([8500, STORE.shipping, 8499, 680, 9179]);
    expect(answer.cart.coupon).toMatchObject({ code: "WELCOME10", status: "RESERVED", discountAmount: 500 });
    expect(Date.parse(answer.cart.coupon!.expiresAt!)).toBeGreaterThan(Date.now() + 200_000);
  });

  it("apply → remove → apply: the coupon is released back and reserved again", async () => {
    const s = await store();
    const cart = await twoSellerCart(s);
    await applyCoupon(db, shopper(), { checkoutId: cart.checkoutId, code: "WELCOME10" }, META);
    const removed = await removeCoupon(db, shopper(), { checkoutId: cart.checkoutId }, META);
    expect(removed.coupon).toBeNull();
    expect(removed.tower!.couponDiscount).toBe(0);
    const [assignment] = await db.select().from(couponAssignments).where(eq(couponAssignments.bookId, s.book.id));
    expect(assignment).toMatchObject({ status: "ASSIGNED", lockCheckoutId: null });
    const again = await applyCoupon(db, shopper(), { checkoutId: cart.checkoutId, code: "WELCOME10" }, META);
    expect(again.result).toBe("ACCEPTED");
    expect(again.cart.tower!.couponDiscount).toBe(500);
    const ledger = await db.select().from(redemptions).where(eq(redemptions.checkoutId, cart.checkoutId));
    expect(ledger.map((r) => r.status)).toEqual(["PR_RESERVED"]);
  });

  it("placeOrder twice in a row with the same checkout makes one order and consumes one use", async () => {
    const s = await store({ maxRedeemsPerUser: 5 });
    const cart = await twoSellerCart(s);
    await applyCoupon(db, shopper(), { checkoutId: cart.checkoutId, code: "WELCOME10" }, META);
    const first = await placeOrder(db, shopper(), { checkoutId: cart.checkoutId }, META);
    const second = await placeOrder(db, shopper(), { checkoutId: cart.checkoutId }, META);
    expect(second).toEqual(first);
    expect(first).toMatchObject({ couponCode: "WELCOME10", discountAmount: 500, total: 9179, itemCount: 3 });
    expect(await db.select().from(shopOrders)).toHaveLength(1);
    // With maxRedeemsPerUser 5, a second consumption would be allowed: only the idempotency stops it.
    expect(await appliedRedemptions(s.book.id)).toHaveLength(1);
    const [assignment] = await db.select().from(couponAssignments).where(eq(couponAssignments.bookId, s.book.id));
    expect(assignment!.redeemCount).toBe(1);
  });

  it("placeOrder fired concurrently for one checkout makes one order and consumes one use", async () => {
    const s = await store({ maxRedeemsPerUser: 5 });
    const cart = await twoSellerCart(s);
    await applyCoupon(db, shopper(), { checkoutId: cart.checkoutId, code: "WELCOME10" }, META);
    // A double click that got through, or a retried request: every submit answers the one order.
    const orders = await Promise.all(Array.from({ length: 6 }, () => placeOrder(db, shopper(), { checkoutId: cart.checkoutId }, META)));
    expect(new Set(orders.map((o) => o.id)).size).toBe(1);
    expect(orders[0]).toMatchObject({ couponCode: "WELCOME10", discountAmount: 500 });
    expect(await db.select().from(shopOrders)).toHaveLength(1);
    expect(await appliedRedemptions(s.book.id)).toHaveLength(1);
    const [assignment] = await db.select().from(couponAssignments).where(eq(couponAssignments.bookId, s.book.id));
    expect(assignment!.redeemCount).toBe(1);
  });

  it("the checkout id survives viewCart calls and changes after an order (the cart starts empty)", async () => {
    const s = await store();
    const cart = await twoSellerCart(s);
    expect((await viewCart(db, shopper())).checkoutId).toBe(cart.checkoutId);
    expect((await viewCart(db, shopper())).checkoutId).toBe(cart.checkoutId);
    await placeOrder(db, shopper(), { checkoutId: cart.checkoutId }, META);
    const after = await viewCart(db, shopper());
    expect(after.checkoutId).not.toBe(cart.checkoutId);
    expect(after).toMatchObject({ lines: [], itemCount: 0, tower: null, coupon: null });
    // An old tab acting on the paid checkout is refused, not applied to the new one.
    await expect(applyCoupon(db, shopper(), { checkoutId: cart.checkoutId, code: "WELCOME10" }, META)).rejects.toMatchObject({ code: "CONFLICT" });
  });

  it("the same single-use code in the next checkout: EXHAUSTED, 'You have already used this code.'", async () => {
    const s = await store();
    const cart = await twoSellerCart(s);
    await applyCoupon(db, shopper(), { checkoutId: cart.checkoutId, code: "WELCOME10" }, META);
    await placeOrder(db, shopper(), { checkoutId: cart.checkoutId }, META);
    const next = await twoSellerCart(s);
    const answer = await applyCoupon(db, shopper(), { checkoutId: next.checkoutId, code: "WELCOME10" }, META);
    expect(answer).toMatchObject({ result: "EXHAUSTED", message: "You have already used this code." });
    expect(answer.cart.coupon).toBeNull();
    expect(answer.cart.tower!.couponDiscount).toBe(0);
  });

  it("a mistyped code and an unknown one answer INVALID with one message and no reason", async () => {
    const s = await store();
    const cart = await twoSellerCart(s);
    const typo = await applyCoupon(db, shopper(), { checkoutId: cart.checkoutId, code: "WELCOME1O" }, META);
    const unknown = await applyCoupon(db, shopper(), { checkoutId: cart.checkoutId, code: "NOPE-123" }, META);
    expect(typo).toMatchObject({ result: "INVALID", message: "This code is not valid. Check it and try again." });
    expect(unknown.message).toBe(typo.message);
    expect(typo.reason).toBeUndefined();
    expect(typo.cart.coupon).toBeNull();
  });

  it("a lapsed reservation shows LAPSED, re-prices without the coupon, and placeOrder refuses with RESERVATION_EXPIRED", async () => {
    const s = await store();
    const cart = await twoSellerCart(s);
    await applyCoupon(db, shopper(), { checkoutId: cart.checkoutId, code: "WELCOME10" }, META);
    expect(await backdateLocks(db, { checkoutId: cart.checkoutId })).toEqual({ locks: 1, reservations: 1 });
    const lapsed = await viewCart(db, shopper());
    expect(lapsed.coupon).toMatchObject({ code: "WELCOME10", status: "LAPSED", discountAmount: 0, expiresAt: null });
    expect(lapsed.tower!.couponDiscount).toBe(0);
    expect(lapsed.tower!.total).toBe(Math.round((8500 + STORE.shipping) * 1.08));
    await expect(placeOrder(db, shopper(), { checkoutId: cart.checkoutId }, META)).rejects.toMatchObject({ code: "RESERVATION_EXPIRED" });
    expect(await db.select().from(shopOrders)).toHaveLength(0);
    // Applying again re-reserves it and the order goes through with the discount.
    expect((await applyCoupon(db, shopper(), { checkoutId: cart.checkoutId, code: "WELCOME10" }, META)).result).toBe("ACCEPTED");
    expect(await placeOrder(db, shopper(), { checkoutId: cart.checkoutId }, META)).toMatchObject({ discountAmount: 500 });
  });

  it("a cart change re-reserves the coupon for the new cart, and says so when it comes off", async () => {
    const s = await store({ minOrderAmount: 4000 });
    const cart = await twoSellerCart(s);
    await applyCoupon(db, shopper(), { checkoutId: cart.checkoutId, code: "WELCOME10" }, META);
    const more = await setCartLine(db, shopper(), { productId: s.mug.id, quantity: 1 }, META);
    expect(more.couponMessage).toBeUndefined();
    expect(more.cart.coupon).toMatchObject({ status: "RESERVED" });
    expect(more.cart.tower!.couponDiscount).toBe(620); // 10 % of 62.00
    const fewer = await setCartLine(db, shopper(), { productId: s.tee.id, quantity: 0 }, META);
    expect(fewer.couponMessage).toBe("WELCOME10 was removed: Your order from this seller is below the coupon's minimum.");
    expect(fewer.cart.coupon).toBeNull();
    expect(fewer.cart.tower!.couponDiscount).toBe(0);
  });

  it("prices come from the products table: the cart row holds only ids and quantities", async () => {
    const s = await store();
    const cart = await twoSellerCart(s);
    const [row] = await db.select().from(shopCarts).where(eq(shopCarts.userId, shopper().userId));
    expect(row!.lines).toEqual([
      { productId: s.tee.id, quantity: 2 },
      { productId: s.lamp.id, quantity: 1 },
    ]);
    expect(cart.tower!.itemsAmount).toBe(8500);
    // The seller changes a price: the cart follows the catalogue, and the schema refuses a price from the client.
    await db.update(products).set({ unitPrice: 3000 }).where(eq(products.id, s.tee.id));
    expect((await viewCart(db, shopper())).tower!.itemsAmount).toBe(9500);
    const { SetCartLineInput } = await import("./schemas");
    expect(SetCartLineInput.parse({ productId: s.tee.id, quantity: 1, unitPrice: 1 })).toEqual({ productId: s.tee.id, quantity: 1 });
  });

  it("getOrder: the confirmation's order with item names, and another shopper's order reads as missing", async () => {
    const s = await store();
    const cart = await twoSellerCart(s);
    await applyCoupon(db, shopper(), { checkoutId: cart.checkoutId, code: "WELCOME10" }, META);
    const order = await placeOrder(db, shopper(), { checkoutId: cart.checkoutId }, META);
    const detail = await getOrder(db, shopper(), order.orderId);
    expect(detail).toMatchObject({ orderId: order.orderId, couponCode: "WELCOME10", discountAmount: 500, total: 9179, itemCount: 3 });
    expect(detail!.items.map((i) => [i.sku, i.name, i.sellerName]).sort()).toEqual([
      ["LAMP", "Lamp", "Trail"],
      ["TEE", "Tee", "Demo"],
    ]);
    expect(await getOrder(db, shopper("shopper-bob"), order.orderId)).toBeNull();
  });
});
