import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "@/db/client";
import { backdateLocks } from "@/db/testing/backdate-locks";
import { couponBooks, products } from "@/db/schema";
import type { ShopperActor } from "@/lib/auth/actor";
import { refundRollback } from "@/lib/refunds/rollback";
import { activeBook, businessWithKey } from "@/testing/fixtures";
import { applyCoupon, placeOrder, setCartLine } from "./checkout";
import { claimOffer } from "./offers";
import { listOrders } from "./orders";
import { listWallet } from "./wallet";

const meta = { ip: null, userAgent: null };
const ana: ShopperActor = { kind: "user", role: "shopper", userId: "ana" };

/** A seller with one product and a self-service offer, 15% off orders from 20.00, whose code ana claims. */
async function claimedCoupon() {
  const seller = await businessWithKey("Trail Outfitters");
  const [product] = await db.insert(products).values({ businessId: seller.businessId, sku: "SOCK", name: "Trail socks", unitPrice: 1_400 }).returning();
  const book = await activeBook(seller.businessId, {
    codes: 3,
    overrides: { name: "Trail Club 15%", selfServiceClaim: true, discountType: "PERCENT", discountValue: 15, minOrderAmount: 2_000, lockTtlSeconds: 600 },
  });
  const claimed = await claimOffer(db, ana, { couponBookId: book.id }, meta);
  return { seller, product: product!, book, code: claimed.code };
}

const walletOf = async (code: string) => (await listWallet(db, ana)).find((coupon) => coupon.code === code)!;

describe("listWallet", () => {
  it("follows a claimed code through ASSIGNED, RESERVED until the reservation's end, REDEEMED, and REVOKED after a refund rollback", async () => {
    const { product, code } = await claimedCoupon();

    expect(await listWallet(db, ana)).toEqual([
      {
        id: expect.any(String),
        code,
        status: "ASSIGNED",
        reservedUntil: null,
        usesLeft: 1,
        maxUses: 1,
        promotion: "Trail Club 15%",
        sellerName: "Trail Outfitters",
        discountType: "PERCENT",
        discountValue: 15,
        currency: "USD",
        minOrderAmount: 2_000,
        expiresAt: null,
        paused: false,
      },
    ]);

    // The shop's own checkout reserves it: the wallet says until when.
    const { cart } = await setCartLine(db, ana, { productId: product.id, quantity: 2 }, meta);
    const applied = await applyCoupon(db, ana, { checkoutId: cart.checkoutId, code: code.toLowerCase() }, meta);
    expect(applied.result).toBe("ACCEPTED");
    const reserved = await walletOf(code);
    expect(reserved).toMatchObject({ status: "RESERVED", usesLeft: 1 });
    expect(reserved.reservedUntil).toBe(applied.cart.coupon!.expiresAt);
    expect(Date.parse(reserved.reservedUntil!)).toBeGreaterThan(Date.now() + 500_000);

    const order = await placeOrder(db, ana, { checkoutId: cart.checkoutId }, meta);
    expect(await walletOf(code)).toMatchObject({ status: "REDEEMED", reservedUntil: null, usesLeft: 0, maxUses: 1 });

    // The seller refunds the order: the refund rollback (lib/refunds) gives the use back.
    await refundRollback(db, { kind: "internal" }, { orderId: order.orderId, reason: "customer returned the socks" }, meta);
    expect(await walletOf(code)).toMatchObject({ status: "REVOKED", usesLeft: 1, maxUses: 1 });
    // …and the order says so, with the reason.
    expect(await listOrders(db, ana)).toEqual([
      expect.objectContaining({ orderId: order.orderId, couponCode: code, discountAmount: 420, refundReason: "customer returned the socks", refundedAt: expect.any(String) }),
    ]);
  });

  it("a reservation that lapsed reads ASSIGNED again; a promotion that ended reads EXPIRED; a paused one is flagged", async () => {
    const { product, book, code } = await claimedCoupon();
    const { cart } = await setCartLine(db, ana, { productId: product.id, quantity: 2 }, meta);
    expect((await applyCoupon(db, ana, { checkoutId: cart.checkoutId, code }, meta)).result).toBe("ACCEPTED");
    expect((await walletOf(code)).status).toBe("RESERVED");

    await backdateLocks(db, { checkoutId: cart.checkoutId });
    expect(await walletOf(code)).toMatchObject({ status: "ASSIGNED", reservedUntil: null });

    await db.update(couponBooks).set({ status: "PAUSED" }).where(eq(couponBooks.id, book.id));
    expect(await walletOf(code)).toMatchObject({ status: "ASSIGNED", paused: true });

    await db.update(couponBooks).set({ status: "ACTIVE", expiresAt: sql`now() - interval '1 minute'` }).where(eq(couponBooks.id, book.id));
    const expired = await walletOf(code);
    expect(expired).toMatchObject({ status: "EXPIRED", usesLeft: 1 });
    expect(Date.parse(expired.expiresAt!)).toBeLessThan(Date.now());
  });

  it("lists only the signed-in shopper's coupons, newest first", async () => {
    const { seller, code } = await claimedCoupon();
    const other = await activeBook(seller.businessId, { overrides: { name: "Later offer", selfServiceClaim: true } });
    const later = await claimOffer(db, ana, { couponBookId: other.id }, meta);
    await claimOffer(db, { kind: "user", role: "shopper", userId: "bo" }, { couponBookId: other.id }, meta);
    expect((await listWallet(db, ana)).map((coupon) => coupon.code)).toEqual([later.code, code]);
    expect(await listWallet(db, { kind: "user", role: "shopper", userId: "nobody" })).toEqual([]);
  });
});
