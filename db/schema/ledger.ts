import { sql } from "drizzle-orm";
import { boolean, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import type { PriceTower } from "@/lib/pricing/price-tower";
import { createdAt, id, money, updatedAt } from "./columns";
import { couponAssignments, couponBooks } from "./coupons";
import { purchaseStatus, redemptionStatus } from "./enums";

export const redemptions = pgTable(
  "redemptions",
  {
    id: id(),
    businessId: uuid("business_id").notNull(),
    assignmentId: uuid("assignment_id")
      .notNull()
      .references(() => couponAssignments.id),
    bookId: uuid("book_id")
      .notNull()
      .references(() => couponBooks.id),
    userId: text("user_id").notNull(),
    checkoutId: text("checkout_id").notNull(),
    orderId: text("order_id"),
    status: redemptionStatus("status").notNull(),
    discountAmount: money("discount_amount").notNull().default(0),
    orderSubtotal: money("order_subtotal"),
    orderTotal: money("order_total"),
    currency: text("currency"),
    /** redeem_count of the assignment after this consumption; replays answer with it. */
    redeemNumber: integer("redeem_number"),
    maxRedeems: integer("max_redeems"),
    reservedAt: timestamp("reserved_at", { withTimezone: true }),
    expiresAt: timestamp("expires_at", { withTimezone: true }),
    appliedAt: timestamp("applied_at", { withTimezone: true }),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
    reason: text("reason"),
    /** The price tower the reservation was quoted with (discount terms included); null without a cart. */
    priceTower: jsonb("price_tower").$type<PriceTower>(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("redemptions_assignment_checkout_uq").on(t.assignmentId, t.checkoutId),
    // The internal apply and release find a checkout's reservations by checkout id alone.
    index("redemptions_checkout_idx").on(t.checkoutId),
    uniqueIndex("redemptions_assignment_order_uq")
      .on(t.assignmentId, t.orderId)
      .where(sql`${t.orderId} is not null`),
    // Campaign caps count applied plus live reservations of one book (DESIGN §5.8).
    index("redemptions_book_status_idx").on(t.bookId, t.status, t.expiresAt),
    // Refunds, their rollback job and reconciliation find an order's consumptions per seller.
    index("redemptions_business_order_idx").on(t.businessId, t.orderId).where(sql`${t.orderId} is not null`),
    // The ops dashboard counts the reservations (holds) made in its window.
    index("redemptions_reserved_at_idx").on(t.reservedAt).where(sql`${t.expiresAt} is not null`),
    // The expiry job and the leak gauge look for reservations past their expiry across all books.
    index("redemptions_reserved_expiry_idx").on(t.expiresAt).where(sql`${t.status} = 'PR_RESERVED'`),
    // The ops dashboard sums the discount granted by the coupon uses applied in its window.
    index("redemptions_applied_at_idx").on(t.appliedAt).where(sql`${t.appliedAt} is not null`),
  ],
);

export const redemptionAudit = pgTable(
  "redemption_audit",
  {
    id: id(),
    businessId: uuid("business_id").notNull(),
    bookId: uuid("book_id"),
    codeId: uuid("code_id"),
    assignmentId: uuid("assignment_id"),
    action: text("action").notNull(),
    actor: text("actor").notNull(),
    userId: text("user_id"),
    previousStatus: text("previous_status"),
    newStatus: text("new_status"),
    redeemCount: integer("redeem_count"),
    maxRedeems: integer("max_redeems"),
    isFinalRedeem: boolean("is_final_redeem"),
    checkoutId: text("checkout_id"),
    orderId: text("order_id"),
    ip: text("ip"),
    userAgent: text("user_agent"),
    details: jsonb("details"),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("redemption_audit_book_at_idx").on(t.bookId, t.at.desc()),
    index("redemption_audit_assignment_idx").on(t.assignmentId),
    // The ops audit page: newest first, and one actor's trail (an operator, a key, the guard).
    index("redemption_audit_at_idx").on(t.at.desc()),
    index("redemption_audit_actor_at_idx").on(t.actor, t.at.desc()),
  ],
);

/**
 * redemption_audit counted per business, closed hour, action and whether the brute-force guard
 * wrote the row (lib/coupons/audit-rollup.ts; the `audit-rollup` job fills it). Holds exactly the
 * audit rows before the job's cursor: the metrics scrape adds the rows after it.
 */
export const redemptionAuditHourly = pgTable(
  "redemption_audit_hourly",
  {
    businessId: uuid("business_id").notNull(),
    /** Start of the hour (UTC). */
    hour: timestamp("hour", { withTimezone: true }).notNull(),
    action: text("action").notNull(),
    byGuard: boolean("by_guard").notNull(),
    entries: integer("entries").notNull(),
  },
  (t) => [
    primaryKey({ name: "redemption_audit_hourly_pk", columns: [t.businessId, t.hour, t.action, t.byGuard] }),
    index("redemption_audit_hourly_hour_idx").on(t.hour),
  ],
);

/**
 * Orders that consumed a coupon, one row per seller (business) and order: the seller's view of the
 * order as quoted at reservation time, so refunds can be rolled back later (DESIGN §3, §8).
 */
export const purchases = pgTable(
  "purchases",
  {
    id: id(),
    businessId: uuid("business_id").notNull(),
    userId: text("user_id").notNull(),
    checkoutId: text("checkout_id").notNull(),
    orderId: text("order_id").notNull(),
    /** As quoted at reservation time; null when the coupon was reserved without a cart. */
    subtotal: money("subtotal"),
    discountAmount: money("discount_amount").notNull(),
    total: money("total"),
    currency: text("currency").notNull(),
    status: purchaseStatus("status").notNull().default("PENDING"),
    paidAt: timestamp("paid_at", { withTimezone: true }),
    refundedAt: timestamp("refunded_at", { withTimezone: true }),
    refundReason: text("refund_reason"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("purchases_business_order_uq").on(t.businessId, t.orderId),
    index("purchases_order_idx").on(t.orderId),
    index("purchases_status_idx").on(t.status, t.updatedAt),
  ],
);
