import { and, asc, eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { purchases } from "@/db/schema";
import type { Actor } from "@/lib/auth/actor";
import { AppError } from "@/lib/errors";
import type { RequestMeta } from "@/lib/request-meta";
import { refundedPurchaseView, type RefundedOrder } from "./refund-views";
import { markPurchaseRefunded } from "./rollback";
import type { RefundOrderInput } from "./schemas";

/**
 * POST /api/internal/promo/purchases/:orderId/refund: a caller reports a refund. The order's PAID
 * purchases (of one seller, if named) become REFUNDED, audited; the refund-rollback job then gives
 * their coupon uses back. Idempotent: a purchase already REFUNDED keeps its first reason and date.
 */
export async function refundOrder(db: Db, actor: Actor, orderId: string, input: RefundOrderInput, meta: RequestMeta) {
  return db.transaction(async (tx): Promise<RefundedOrder> => {
    const rows = await tx
      .select()
      .from(purchases)
      .where(and(eq(purchases.orderId, orderId), input.businessId ? eq(purchases.businessId, input.businessId) : undefined))
      .orderBy(asc(purchases.id))
      .for("update");
    if (rows.length === 0) throw new AppError("PURCHASE_NOT_FOUND", "This order has no purchase to refund", { orderId });
    if (!rows.some((row) => row.status === "PAID" || row.status === "REFUNDED")) {
      throw new AppError("INVALID_STATUS_TRANSITION", "None of this order's purchases was paid", { orderId, statuses: [...new Set(rows.map((row) => row.status))] });
    }
    let refunded = 0;
    const current = [];
    for (const row of rows) {
      const after = await markPurchaseRefunded(tx, actor, meta, row, input.reason);
      if (after.status === "REFUNDED" && row.status === "PAID") refunded++;
      current.push(after);
    }
    return { orderId, refunded, purchases: current.map(refundedPurchaseView) };
  });
}
