import { and, eq, inArray } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { businesses, products, shopOrders } from "@/db/schema";
import type { ShopperActor } from "@/lib/auth/actor";
import type { PriceTower } from "@/lib/pricing/price-tower";

/**
 * One of the shopper's orders by its order id, for the confirmation page: the price tower as paid
 * and each item's catalogue name and seller. Another shopper's order reads as missing (null).
 */
export async function getOrder(db: DbOrTx, shopper: ShopperActor, orderId: string) {
  const [order] = await db
    .select()
    .from(shopOrders)
    .where(and(eq(shopOrders.orderId, orderId), eq(shopOrders.userId, shopper.userId)));
  if (!order) return null;
  const tower = order.priceTower as PriceTower;
  const businessIds = [...new Set(tower.items.map((item) => item.businessId))];
  const named =
    businessIds.length === 0
      ? []
      : await db
          .select({ businessId: products.businessId, sku: products.sku, name: products.name, sellerName: businesses.name })
          .from(products)
          .innerJoin(businesses, eq(businesses.id, products.businessId))
          .where(inArray(products.businessId, businessIds));
  return {
    orderId: order.orderId,
    placedAt: order.placedAt.toISOString(),
    couponCode: order.couponCode,
    discountAmount: order.discountAmount,
    total: order.total,
    currency: order.currency,
    itemCount: order.itemCount,
    priceTower: tower,
    items: named.filter((p) => tower.items.some((item) => item.businessId === p.businessId && item.sku === p.sku)),
  };
}
export type OrderDetail = NonNullable<Awaited<ReturnType<typeof getOrder>>>;
