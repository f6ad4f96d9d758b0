import { sql } from "drizzle-orm";
import { boolean, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { createdAt, id, money, updatedAt } from "./columns";
import { businesses } from "./tenants";

/** The demo store's catalogue: what a cart may hold, priced by the seller (never by the browser). */
export const products = pgTable(
  "products",
  {
    id: id(),
    businessId: uuid("business_id")
      .notNull()
      .references(() => businesses.id),
    sku: text("sku").notNull(),
    name: text("name").notNull(),
    description: text("description"),
    unitPrice: money("unit_price").notNull(),
    currency: text("currency").notNull().default("USD"),
    active: boolean("active").notNull().default(true),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("products_business_sku_uq").on(t.businessId, t.sku)],
);

/** One line of a cart: a product and how many. */
export interface CartLine {
  productId: string;
  quantity: number;
}

/**
 * A shopper's open cart. `checkout_id` names the checkout the coupon is reserved for; it is the
 * same across reloads and changes only when an order is placed. `coupon_code` is the code the
 * shopper applied (normalized), re-reserved when the cart changes.
 */
export const shopCarts = pgTable("shop_carts", {
  userId: text("user_id").primaryKey(),
  checkoutId: text("checkout_id").notNull().unique(),
  lines: jsonb("lines").$type<CartLine[]>().notNull().default(sql`'[]'::jsonb`),
  couponCode: text("coupon_code"),
  updatedAt: updatedAt(),
});

/**
 * A placed order of the demo store, one per checkout (a double submit finds it). `price_tower` is
 * the priced cart as paid; the coupon's use, if any, is the checkout's applied redemption.
 */
export const shopOrders = pgTable(
  "shop_orders",
  {
    id: id(),
    userId: text("user_id").notNull(),
    checkoutId: text("checkout_id").notNull(),
    orderId: text("order_id").notNull(),
    priceTower: jsonb("price_tower").notNull(),
    couponCode: text("coupon_code"),
    discountAmount: money("discount_amount").notNull().default(0),
    total: money("total").notNull(),
    currency: text("currency").notNull(),
    itemCount: integer("item_count").notNull(),
    placedAt: timestamp("placed_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("shop_orders_checkout_uq").on(t.checkoutId),
    uniqueIndex("shop_orders_order_uq").on(t.orderId),
    index("shop_orders_user_placed_idx").on(t.userId, t.placedAt.desc()),
  ],
);
