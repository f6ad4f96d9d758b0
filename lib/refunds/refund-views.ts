import { z } from "zod";
import { redemptionStatus, type purchases, type redemptions } from "@/db/schema";
import { CheckoutPurchase, purchaseView } from "@/lib/checkout/checkout-ledger";
import { wireDateTime, wireId, wireMoney } from "@/lib/wire";

export type Purchase = typeof purchases.$inferSelect;

/** A purchase as the apply answers it, plus what a refund set. */
export const RefundedPurchase = CheckoutPurchase.extend({
  refundedAt: wireDateTime.nullable().describe("When the purchase became REFUNDED; a repeated refund keeps the first date"),
  refundReason: z.string().nullable().describe("The first refund's reason"),
}).meta({ id: "RefundedPurchase" });
export type RefundedPurchase = z.infer<typeof RefundedPurchase>;

export const refundedPurchaseView = (row: Purchase): RefundedPurchase => ({
  ...purchaseView(row),
  refundedAt: row.refundedAt?.toISOString() ?? null,
  refundReason: row.refundReason,
});

/** A revoked use: which coupon use of which order was given back, when and why. */
export const RevokedRedemption = z
  .strictObject({
    reservationId: wireId,
    couponBookId: wireId,
    businessId: wireId,
    userId: z.string(),
    checkoutId: z.string(),
    orderId: z.string().nullable(),
    status: z.enum(redemptionStatus.enumValues).describe("PR_REVOKED"),
    discountAmount: wireMoney.describe("The discount the use had granted, given back to a budget-capped campaign"),
    currency: z.string().nullable(),
    appliedAt: wireDateTime.nullable(),
    revokedAt: wireDateTime.nullable(),
    reason: z.string().nullable().describe("Why the use was revoked: the refund's reason"),
  })
  .meta({ id: "RevokedRedemption" });
export type RevokedRedemption = z.infer<typeof RevokedRedemption>;

export const revokedRedemptionView = (row: typeof redemptions.$inferSelect): RevokedRedemption => ({
  reservationId: row.id,
  couponBookId: row.bookId,
  businessId: row.businessId,
  userId: row.userId,
  checkoutId: row.checkoutId,
  orderId: row.orderId,
  status: row.status,
  discountAmount: row.discountAmount,
  currency: row.currency,
  appliedAt: row.appliedAt?.toISOString() ?? null,
  revokedAt: row.revokedAt?.toISOString() ?? null,
  reason: row.reason,
});

/** The refund report's answer: the order's purchases (of the seller named) after it. */
export const RefundedOrder = z
  .strictObject({
    orderId: z.string(),
    refunded: z.number().int().min(0).describe("The purchases this call changed from PAID to REFUNDED (0 on a repeat)"),
    purchases: z.array(RefundedPurchase).describe("Every purchase of the order (of that seller), by id"),
  })
  .meta({ id: "RefundedOrder" });
export type RefundedOrder = z.infer<typeof RefundedOrder>;

/** The refund rollback's answer: what this call gave back, and every use of these purchases now revoked. */
export const RefundRollbackResult = z
  .strictObject({
    revoked: z.number().int().min(0).describe("The uses this call revoked (0 on a repeat)"),
    purchases: z.array(RefundedPurchase).describe("The purchases rolled back, now REFUNDED"),
    redemptions: z.array(RevokedRedemption).describe("Every revoked use of these purchases, this call's and earlier ones, by seller"),
  })
  .meta({ id: "RefundRollbackResult" });
export type RefundRollbackResult = z.infer<typeof RefundRollbackResult>;
