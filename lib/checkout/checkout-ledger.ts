import { and, asc, eq, inArray } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { renderedOnce } from "@/db/rendered-once";
import { purchases, redemptions } from "@/db/schema";
import { assignmentById, lockedAssignment, type CouponTarget } from "@/lib/coupons/coupon-target";
import type { Redemption } from "@/lib/coupons/reservations";
import { AppError } from "@/lib/errors";

/**
 * The checkout's coupons with their assignments row-locked (in id order, so two calls on one
 * checkout never deadlock), then the checkout's ledger rows re-read under those locks. Only rows
 * whose assignment is locked here are returned. Every apply and release reads it: its statements
 * are rendered once (db/rendered-once.ts), bound per call.
 */
export async function lockCheckout(tx: Tx, checkoutId: string): Promise<{ targets: Map<string, CouponTarget>; ledger: Redemption[] }> {
  const rows = await renderedOnce(tx, "lockCheckout:assignments", { checkoutId }, (v) =>
    tx.selectDistinct({ assignmentId: redemptions.assignmentId }).from(redemptions).where(eq(redemptions.checkoutId, v.checkoutId)).orderBy(asc(redemptions.assignmentId)),
  );
  if (rows.length === 0) throw new AppError("RESERVATION_NOT_FOUND", "This checkout holds no coupon", { checkoutId });
  const targets = new Map<string, CouponTarget>();
  for (const { assignmentId } of rows) {
    const target = await lockedAssignment(tx, assignmentById(assignmentId));
    targets.set(assignmentId, target!);
  }
  return { targets, ledger: await checkoutLedger(tx, checkoutId, targets) };
}

/** The checkout's ledger rows of the coupons locked by lockCheckout, oldest first. */
export async function checkoutLedger(tx: Tx, checkoutId: string, targets: Map<string, CouponTarget>) {
  const rows = await renderedOnce(tx, "checkoutLedger", { checkoutId }, (v) =>
    tx.select().from(redemptions).where(eq(redemptions.checkoutId, v.checkoutId)).orderBy(asc(redemptions.createdAt), asc(redemptions.id)),
  );
  return rows.filter((row) => targets.has(row.assignmentId));
}

export function redemptionView(row: Redemption) {
  return {
    reservationId: row.id,
    couponBookId: row.bookId,
    businessId: row.businessId,
    userId: row.userId,
    status: row.status,
    discountAmount: row.discountAmount,
    currency: row.currency,
    orderId: row.orderId,
    redeemCount: row.redeemNumber,
    maxRedeems: row.maxRedeems,
    isFinalRedeem: row.redeemNumber !== null && row.maxRedeems !== null ? row.redeemNumber >= row.maxRedeems : null,
    reservedAt: row.reservedAt?.toISOString() ?? null,
    expiresAt: row.expiresAt?.toISOString() ?? null,
    appliedAt: row.appliedAt?.toISOString() ?? null,
  };
}

export function purchaseView(row: typeof purchases.$inferSelect) {
  return {
    id: row.id,
    businessId: row.businessId,
    userId: row.userId,
    checkoutId: row.checkoutId,
    orderId: row.orderId,
    subtotal: row.subtotal,
    discountAmount: row.discountAmount,
    total: row.total,
    currency: row.currency,
    status: row.status,
    paidAt: row.paidAt?.toISOString() ?? null,
  };
}

/** The purchases of an order, one per seller. */
export async function purchasesOfOrder(tx: Tx, orderId: string, businessIds: string[]) {
  if (businessIds.length === 0) return [];
  return tx
    .select()
    .from(purchases)
    .where(and(inArray(purchases.businessId, businessIds), eq(purchases.orderId, orderId)))
    .orderBy(asc(purchases.businessId));
}
