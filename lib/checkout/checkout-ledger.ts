import { z } from "zod";
import { and, asc, eq, inArray } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { renderedOnce } from "@/db/rendered-once";
import { purchaseStatus, purchases, redemptionStatus, redemptions } from "@/db/schema";
import { assignmentById, lockedAssignment, type CouponTarget } from "@/lib/coupons/coupon-target";
import type { Redemption } from "@/lib/coupons/reservations";
import { AppError } from "@/lib/errors";
import { wireDateTime, wireId, wireMoney } from "@/lib/wire";

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

/** One of a checkout's coupon uses as the apply and the release answer it. */
export const CheckoutRedemption = z
  .strictObject({
    reservationId: wireId,
    couponBookId: wireId,
    businessId: wireId.describe("The seller whose coupon it is (one coupon per seller and checkout)"),
    userId: z.string(),
    status: z.enum(redemptionStatus.enumValues).describe("PR_RESERVED → PR_APPLIED (consumed by the order) or PR_RELEASED / PR_EXPIRED; PR_REVOKED once a refund gave the use back"),
    discountAmount: wireMoney,
    currency: z.string().nullable(),
    orderId: z.string().nullable().describe("The order that consumed it; null until applied"),
    redeemCount: z.number().int().min(1).nullable().describe("The coupon's uses after this one; null until applied"),
    maxRedeems: z.number().int().min(1).nullable(),
    isFinalRedeem: z.boolean().nullable().describe("This use was the coupon's last; null until applied"),
    reservedAt: wireDateTime.nullable(),
    expiresAt: wireDateTime.nullable().describe("Until when the reservation held the coupon"),
    appliedAt: wireDateTime.nullable(),
  })
  .meta({ id: "CheckoutRedemption" });
export type CheckoutRedemption = z.infer<typeof CheckoutRedemption>;

export function redemptionView(row: Redemption): CheckoutRedemption {
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

/** The order as one seller recorded it at the apply (a purchase). */
export const CheckoutPurchase = z
  .strictObject({
    id: wireId,
    businessId: wireId,
    userId: z.string(),
    checkoutId: z.string(),
    orderId: z.string(),
    subtotal: wireMoney.nullable().describe("As the reservation quoted it; null when the coupon was reserved without a cart"),
    discountAmount: wireMoney,
    total: wireMoney.nullable().describe("As the reservation quoted it; null when the coupon was reserved without a cart"),
    currency: z.string(),
    status: z.enum(purchaseStatus.enumValues),
    paidAt: wireDateTime.nullable(),
  })
  .meta({ id: "Purchase" });
export type CheckoutPurchase = z.infer<typeof CheckoutPurchase>;

export function purchaseView(row: typeof purchases.$inferSelect): CheckoutPurchase {
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

/** The apply's answer: the checkout's consumed uses and the order's purchases, the same for every repeat with the same orderId. */
export const AppliedCheckout = z
  .strictObject({
    checkoutId: z.string(),
    orderId: z.string(),
    redemptions: z.array(CheckoutRedemption).describe("Every use of the checkout this order consumed (PR_APPLIED, or PR_REVOKED after a refund), by reservationId"),
    purchases: z.array(CheckoutPurchase).describe("One per seller with a coupon in the checkout, by businessId"),
  })
  .meta({ id: "AppliedCheckout" });
export type AppliedCheckout = z.infer<typeof AppliedCheckout>;

/** The release's answer: every coupon use of the checkout after it, oldest first. */
export const ReleasedCheckout = z
  .strictObject({
    checkoutId: z.string(),
    redemptions: z.array(CheckoutRedemption).describe("The checkout's uses: live ones now PR_RELEASED, lapsed ones PR_EXPIRED, consumed ones as they were"),
  })
  .meta({ id: "ReleasedCheckout" });
export type ReleasedCheckout = z.infer<typeof ReleasedCheckout>;

/** The purchases of an order, one per seller. */
export async function purchasesOfOrder(tx: Tx, orderId: string, businessIds: string[]) {
  if (businessIds.length === 0) return [];
  return tx
    .select()
    .from(purchases)
    .where(and(inArray(purchases.businessId, businessIds), eq(purchases.orderId, orderId)))
    .orderBy(asc(purchases.businessId));
}
