import { and, asc, eq, inArray } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { businesses, couponBooks, purchases, redemptions } from "@/db/schema";

/** One coupon use of the order at one seller: what it took off, and whether a refund gave it back. */
export interface OrderCouponUse {
  id: string;
  campaign: { id: string; name: string };
  /** The shopper's id, as the store sent it (opaque text). */
  userId: string;
  status: "PR_RESERVED" | "PR_APPLIED" | "PR_RELEASED" | "PR_EXPIRED" | "PR_REVOKED";
  discountAmount: number;
  currency: string | null;
  appliedAt: string | null;
  revokedAt: string | null;
  /** Why the use was revoked (the refund's reason); null while it stands. */
  reason: string | null;
}

/** The order as one seller recorded it, with that seller's coupon uses of the order. */
export interface OrderPurchase {
  id: string;
  seller: { id: string; name: string | null };
  userId: string;
  checkoutId: string;
  status: "PENDING" | "PAID" | "REFUNDED" | "CANCELLED";
  subtotal: number | null;
  discountAmount: number;
  total: number | null;
  currency: string;
  paidAt: string | null;
  refundedAt: string | null;
  refundReason: string | null;
  uses: OrderCouponUse[];
}

export interface OrderLookup {
  orderId: string;
  /** One per seller of the order, in seller-name order. */
  purchases: OrderPurchase[];
}

const iso = (date: Date | null) => date?.toISOString() ?? null;

/**
 * The ops refunds page's view of an order, across businesses: its purchases (one per seller that
 * had a coupon in it) and each one's coupon uses. Purchases come by order id (purchases_order_idx),
 * their uses by (business_id, order_id) (redemptions_business_order_idx), so the lookup costs a few
 * index probes however large the ledger is. Null when no purchase carries this order id: the
 * refund rollback works on purchases, so an order without one has nothing it could roll back.
 */
export async function lookupOrder(db: DbOrTx, orderId: string): Promise<OrderLookup | null> {
  const rows = await db
    .select({ purchase: purchases, sellerName: businesses.name })
    .from(purchases)
    .leftJoin(businesses, eq(businesses.id, purchases.businessId))
    .where(eq(purchases.orderId, orderId))
    .orderBy(asc(businesses.name), asc(purchases.id));
  if (rows.length === 0) return null;

  const uses = await db
    .select({ use: redemptions, campaignName: couponBooks.name })
    .from(redemptions)
    .innerJoin(couponBooks, eq(couponBooks.id, redemptions.bookId))
    .where(
      and(
        inArray(
          redemptions.businessId,
          rows.map(({ purchase }) => purchase.businessId),
        ),
        eq(redemptions.orderId, orderId),
      ),
    )
    .orderBy(asc(redemptions.appliedAt), asc(redemptions.id));

  return {
    orderId,
    purchases: rows.map(({ purchase, sellerName }) => ({
      id: purchase.id,
      seller: { id: purchase.businessId, name: sellerName },
      userId: purchase.userId,
      checkoutId: purchase.checkoutId,
      status: purchase.status,
      subtotal: purchase.subtotal,
      discountAmount: purchase.discountAmount,
      total: purchase.total,
      currency: purchase.currency,
      paidAt: iso(purchase.paidAt),
      refundedAt: iso(purchase.refundedAt),
      refundReason: purchase.refundReason,
      uses: uses
        .filter(({ use }) => use.businessId === purchase.businessId)
        .map(({ use, campaignName }) => ({
          id: use.id,
          campaign: { id: use.bookId, name: campaignName },
          userId: use.userId,
          status: use.status,
          discountAmount: use.discountAmount,
          currency: use.currency,
          appliedAt: iso(use.appliedAt),
          revokedAt: iso(use.revokedAt),
          reason: use.reason,
        })),
    })),
  };
}
