import { randomUUID } from "node:crypto";
import { and, asc, eq, gt, inArray, sql } from "drizzle-orm";
import type { Db, DbOrTx } from "@/db/client";
import { businesses, products, redemptions, shopCarts, type CartLine } from "@/db/schema";
import type { ShopperActor } from "@/lib/auth/actor";
import { AppError } from "@/lib/errors";
import { priceCart, type PriceTower } from "@/lib/pricing/price-tower";
import type { Cart } from "@/lib/pricing/schemas";
import { STORE } from "./store";

const PRODUCT_FIELDS = {
  id: products.id,
  sku: products.sku,
  name: products.name,
  description: products.description,
  unitPrice: products.unitPrice,
  currency: products.currency,
  businessId: products.businessId,
  sellerName: businesses.name,
};

export type Product = Awaited<ReturnType<typeof listProducts>>[number];

/** The catalogue: every active product with its seller's name, by seller then name. */
export async function listProducts(db: DbOrTx) {
  return db
    .select(PRODUCT_FIELDS)
    .from(products)
    .innerJoin(businesses, eq(businesses.id, products.businessId))
    .where(eq(products.active, true))
    .orderBy(asc(businesses.name), asc(products.name));
}

/** The shopper's cart row, created (with its checkout id) on first use. */
export async function cartRow(db: DbOrTx, userId: string) {
  await db.insert(shopCarts).values({ userId, checkoutId: randomUUID() }).onConflictDoNothing();
  const [cart] = await db.select().from(shopCarts).where(eq(shopCarts.userId, userId));
  return cart!;
}

export interface CartCoupon {
  code: string;
  /** RESERVED: held for this checkout until `expiresAt`; LAPSED: the reservation ended before payment. */
  status: "RESERVED" | "LAPSED";
  expiresAt: string | null;
  discountAmount: number;
  couponBookId: string | null;
}

export interface CartView {
  checkoutId: string;
  lines: { product: Product; quantity: number; amount: number }[];
  itemCount: number;
  /** The cart as the pricing and promo services take it; null when the cart is empty. */
  pricingCart: Cart | null;
  /** Priced with the reserved coupon's quote when there is one, without a coupon otherwise. */
  tower: PriceTower | null;
  coupon: CartCoupon | null;
}

/** The checkout's live reservation (PR_RESERVED, not past its expiry by the database's clock). */
export async function liveReservation(db: DbOrTx, checkoutId: string) {
  const [reservation] = await db
    .select()
    .from(redemptions)
    .where(and(eq(redemptions.checkoutId, checkoutId), eq(redemptions.status, "PR_RESERVED"), gt(redemptions.expiresAt, sql`now()`)))
    .limit(1);
  return reservation ?? null;
}

/**
 * The checkout's coupon use already consumed for `orderId` (PR_APPLIED): a twin submit of the same
 * checkout paid between this one's reads, so the reservation is no longer live but was not lost.
 */
export async function appliedRedemption(db: DbOrTx, checkoutId: string, orderId: string) {
  const [applied] = await db
    .select()
    .from(redemptions)
    .where(and(eq(redemptions.checkoutId, checkoutId), eq(redemptions.status, "PR_APPLIED"), eq(redemptions.orderId, orderId)))
    .limit(1);
  return applied ?? null;
}

/**
 * The shopper's cart, priced: lines with today's catalogue prices (a product since withdrawn is
 * dropped), the price tower, and the coupon's state. Prices come from the products table only.
 */
export async function viewCart(db: DbOrTx, shopper: ShopperActor): Promise<CartView> {
  const cart = await cartRow(db, shopper.userId);
  const catalogue = cart.lines.length > 0 ? await productsById(db, cart.lines) : new Map<string, Product>();
  const lines = cart.lines.flatMap((line) => {
    const product = catalogue.get(line.productId);
    return product ? [{ product, quantity: line.quantity, amount: product.unitPrice * line.quantity }] : [];
  });
  const pricingCart: Cart | null =
    lines.length === 0
      ? null
      : {
          currency: STORE.currency,
          items: lines.map(({ product, quantity }) => ({ sku: product.sku, businessId: product.businessId, unitPrice: product.unitPrice, quantity, itemDiscount: 0 })),
          shipping: STORE.shipping,
          taxRate: STORE.taxRate,
        };
  const reservation = cart.couponCode ? await liveReservation(db, cart.checkoutId) : null;
  const coupon: CartCoupon | null = cart.couponCode
    ? {
        code: cart.couponCode,
        status: reservation ? "RESERVED" : "LAPSED",
        expiresAt: reservation?.expiresAt?.toISOString() ?? null,
        discountAmount: reservation?.discountAmount ?? 0,
        couponBookId: reservation?.bookId ?? null,
      }
    : null;
  const tower = pricingCart ? (reservation?.priceTower ?? priceCart(pricingCart)) : null;
  return { checkoutId: cart.checkoutId, lines, itemCount: lines.reduce((n, line) => n + line.quantity, 0), pricingCart, tower, coupon };
}

async function productsById(db: DbOrTx, lines: CartLine[]) {
  const rows = await db
    .select(PRODUCT_FIELDS)
    .from(products)
    .innerJoin(businesses, eq(businesses.id, products.businessId))
    .where(and(inArray(products.id, lines.map((line) => line.productId)), eq(products.active, true)));
  return new Map(rows.map((row) => [row.id, row]));
}

/**
 * Sets a product's quantity in the cart (0 removes it), under the cart row's lock. Returns whether
 * a coupon was reserved: its quote priced the old cart, so the caller re-reserves it (checkout.ts).
 */
export async function writeCartLine(db: Db, shopper: ShopperActor, productId: string, quantity: number) {
  await cartRow(db, shopper.userId);
  return db.transaction(async (tx) => {
    const [cart] = await tx.select().from(shopCarts).where(eq(shopCarts.userId, shopper.userId)).for("update");
    const [product] = await tx.select({ id: products.id }).from(products).where(and(eq(products.id, productId), eq(products.active, true)));
    if (!product && quantity > 0) throw new AppError("NOT_FOUND", "This product is not for sale", { productId });
    const others = cart!.lines.filter((line) => line.productId !== productId);
    const existing = cart!.lines.findIndex((line) => line.productId === productId);
    const lines = quantity === 0 ? others : existing === -1 ? [...cart!.lines, { productId, quantity }] : cart!.lines.map((line) => (line.productId === productId ? { productId, quantity } : line));
    await tx.update(shopCarts).set({ lines, updatedAt: sql`now()` }).where(eq(shopCarts.userId, shopper.userId));
    return { checkoutId: cart!.checkoutId, couponCode: cart!.couponCode };
  });
}

/** Sets or clears the cart's coupon code, for the checkout the caller acted on only. */
export async function setCartCoupon(db: DbOrTx, userId: string, checkoutId: string, code: string | null) {
  await db
    .update(shopCarts)
    .set({ couponCode: code, updatedAt: sql`now()` })
    .where(and(eq(shopCarts.userId, userId), eq(shopCarts.checkoutId, checkoutId)));
}

/** Refuses an action for a checkout the cart no longer has (an old tab after an order was placed). */
export function assertCurrentCheckout(view: Pick<CartView, "checkoutId">, checkoutId: string) {
  if (view.checkoutId !== checkoutId) {
    throw new AppError("CONFLICT", "This checkout is closed: an order was placed from it. Reload the cart.", { checkoutId });
  }
}

/** After an order: an empty cart under a new checkout id (only if the cart is still on the paid checkout). */
export async function startNewCheckout(db: DbOrTx, userId: string, paidCheckoutId: string) {
  await db
    .update(shopCarts)
    .set({ checkoutId: randomUUID(), lines: [], couponCode: null, updatedAt: sql`now()` })
    .where(and(eq(shopCarts.userId, userId), eq(shopCarts.checkoutId, paidCheckoutId)));
}
