import type { purchases, redemptions } from "@/db/schema";
import { purchaseView } from "@/lib/checkout/checkout-ledger";

export type Purchase = typeof purchases.$inferSelect;

/** A purchase as the apply answers it, plus what a refund set. */
export const refundedPurchaseView = (row: Purchase) => ({
  ...purchaseView(row),
  refundedAt: row.refundedAt?.toISOString() ?? null,
  refundReason: row.refundReason,
});

/** A revoked use: which coupon use of which order was given back, when and why. */
export const revokedRedemptionView = (row: typeof redemptions.$inferSelect) => ({
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
