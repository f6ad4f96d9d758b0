import { and, desc, eq, inArray, isNotNull } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { purchases, shopOrders } from "@/db/schema";
import type { ShopperActor } from "@/lib/auth/actor";
import type { PriceTower } from "@/lib/pricing/price-tower";

/**
 * The shopper's orders, newest first (at most `limit`), each with its refund if a seller refunded the
 * purchase: the refund rollback then gave the coupon's use back (lib/refunds).
 */
export async function listOrders(db: DbOrTx, shopper: ShopperActor, limit = 50) {
  const orders = await db.select().from(shopOrders).where(eq(shopOrders.userId, shopper.userId)).orderBy(desc(shopOrders.placedAt)).limit(limit);
  const refunds =
    orders.length === 0
      ? []
      : await db
          .select({ orderId: purchases.orderId, refundedAt: purchases.refundedAt, reason: purchases.refundReason })
          .from(purchases)
          .where(and(inArray(purchases.orderId, orders.map((order) => order.orderId)), isNotNull(purchases.refundedAt)));
  return orders.map((order) => {
    const refund = refunds.find((r) => r.orderId === order.orderId);
    return {
      id: order.id,
      orderId: order.orderId,
      placedAt: order.placedAt.toISOString(),
      itemCount: order.itemCount,
      couponCode: order.couponCode,
      discountAmount: order.discountAmount,
      total: order.total,
      currency: order.currency,
      priceTower: order.priceTower as PriceTower,
      refundedAt: refund?.refundedAt?.toISOString() ?? null,
      refundReason: refund?.reason ?? null,
    };
  });
}
export type OrderView = Awaited<ReturnType<typeof listOrders>>[number];
