import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  check,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";

const id = () => uuid("id").primaryKey().defaultRandom();
const createdAt = () => timestamp("created_at", { withTimezone: true }).notNull().defaultNow();
const updatedAt = () => timestamp("updated_at", { withTimezone: true }).notNull().defaultNow();

export const userRole = pgEnum("user_role", ["shopper", "seller", "ops"]);
/** Book states (DESIGN §4); the zod schemas of the API take theirs from here. */
export const BOOK_STATUSES = ["DRAFT", "ACTIVE", "PAUSED", "EXPIRED", "ARCHIVED"] as const;
export type BookStatus = (typeof BOOK_STATUSES)[number];
export const bookStatus = pgEnum("book_status", BOOK_STATUSES);
export const codeKind = pgEnum("code_kind", ["UNIQUE", "GENERIC"]);
export const discountType = pgEnum("discount_type", ["PERCENT", "FIXED", "FREE_SHIPPING"]);
export const codeStatus = pgEnum("code_status", ["AVAILABLE", "ASSIGNED", "DISABLED"]);
export const assignmentStatus = pgEnum("assignment_status", ["ASSIGNED", "LOCKED", "REDEEMED"]);
export const redemptionStatus = pgEnum("redemption_status", [
  "PR_RESERVED",
  "PR_APPLIED",
  "PR_RELEASED",
  "PR_EXPIRED",
  "PR_REVOKED",
]);

/** What a code attempt answered (DESIGN §6); the API, the dashboard and the metrics take theirs from here. */
export const PROMO_RESULTS = ["ACCEPTED", "INVALID", "NOT_APPLICABLE", "EXPIRED", "PAUSED", "EXHAUSTED", "RATE_LIMITED"] as const;
export type PromoResult = (typeof PROMO_RESULTS)[number];
export const promoResult = pgEnum("promo_result", PROMO_RESULTS);
export const purchaseStatus = pgEnum("purchase_status", ["PENDING", "PAID", "REFUNDED", "CANCELLED"]);

export const businesses = pgTable("businesses", {
  id: id(),
  name: text("name").notNull().unique(),
  createdAt: createdAt(),
});

export const users = pgTable(
  "users",
  {
    id: id(),
    email: text("email").notNull().unique(),
    name: text("name").notNull(),
    role: userRole("role").notNull(),
    businessId: uuid("business_id").references(() => businesses.id),
    passwordHash: text("password_hash").notNull(),
    createdAt: createdAt(),
  },
  (t) => [check("users_seller_has_business", sql`${t.role} <> 'seller' or ${t.businessId} is not null`)],
);

export const apiKeys = pgTable(
  "api_keys",
  {
    id: id(),
    businessId: uuid("business_id")
      .notNull()
      .references(() => businesses.id),
    name: text("name").notNull(),
    prefix: text("prefix").notNull().unique(),
    hash: text("hash").notNull(),
    scopes: text("scopes").array().notNull().default(sql`'{}'::text[]`),
    lastUsedAt: timestamp("last_used_at", { withTimezone: true }),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [index("api_keys_business_idx").on(t.businessId)],
);

export const couponBooks = pgTable(
  "coupon_books",
  {
    id: id(),
    businessId: uuid("business_id")
      .notNull()
      .references(() => businesses.id),
    name: text("name").notNull(),
    description: text("description"),
    status: bookStatus("status").notNull().default("DRAFT"),
    codeKind: codeKind("code_kind").notNull().default("UNIQUE"),
    discountType: discountType("discount_type").notNull().default("FIXED"),
    discountValue: integer("discount_value").notNull().default(0),
    currency: text("currency").notNull().default("USD"),
    minOrderAmount: integer("min_order_amount").notNull().default(0),
    maxDiscountAmount: integer("max_discount_amount"),
    maxCodesPerUser: integer("max_codes_per_user").notNull().default(1),
    maxRedeemsPerUser: integer("max_redeems_per_user").notNull().default(1),
    maxTotalRedemptions: integer("max_total_redemptions"),
    budgetAmount: integer("budget_amount"),
    totalCodesExpected: integer("total_codes_expected"),
    generatedCount: integer("generated_count").notNull().default(0),
    codePrefix: text("code_prefix"),
    validFrom: timestamp("valid_from", { withTimezone: true }),
    expiresAt: timestamp("expires_at", { withTimezone: true }),
    lockTtlSeconds: integer("lock_ttl_seconds").notNull().default(300),
    pausedBy: text("paused_by"),
    /** When the book last went PAUSED → ACTIVE: the guard counts only attempts after it (DESIGN §8). */
    resumedAt: timestamp("resumed_at", { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index("coupon_books_business_created_idx").on(t.businessId, t.createdAt.desc()),
    check("coupon_books_limits_positive", sql`${t.maxCodesPerUser} > 0 and ${t.maxRedeemsPerUser} > 0`),
    check("coupon_books_lock_ttl_positive", sql`${t.lockTtlSeconds} > 0`),
  ],
);

export const couponCodes = pgTable(
  "coupon_codes",
  {
    id: id(),
    businessId: uuid("business_id").notNull(),
    bookId: uuid("book_id")
      .notNull()
      .references(() => couponBooks.id),
    code: text("code").notNull(),
    status: codeStatus("status").notNull().default("AVAILABLE"),
    // Random picks walk this key through the partial index instead of ORDER BY random() (DESIGN §5).
    randomKey: integer("random_key")
      .notNull()
      .default(sql`(floor(random() * 2147483647))::int`),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("coupon_codes_business_code_uq").on(t.businessId, t.code),
    index("coupon_codes_available_random_idx")
      .on(t.bookId, t.randomKey)
      .where(sql`${t.status} = 'AVAILABLE'`),
    index("coupon_codes_book_created_idx").on(t.bookId, t.createdAt.desc(), t.code),
  ],
);

export const couponAssignments = pgTable(
  "coupon_assignments",
  {
    id: id(),
    businessId: uuid("business_id").notNull(),
    codeId: uuid("code_id")
      .notNull()
      .references(() => couponCodes.id),
    bookId: uuid("book_id")
      .notNull()
      .references(() => couponBooks.id),
    userId: text("user_id").notNull(),
    /** True for a GENERIC book's public code, which every user may hold; a UNIQUE code has one holder. */
    shared: boolean("shared").notNull().default(false),
    status: assignmentStatus("status").notNull().default("ASSIGNED"),
    redeemCount: integer("redeem_count").notNull().default(0),
    lockedAt: timestamp("locked_at", { withTimezone: true }),
    lockedUntil: timestamp("locked_until", { withTimezone: true }),
    lockCheckoutId: text("lock_checkout_id"),
    assignedAt: timestamp("assigned_at", { withTimezone: true }).notNull().defaultNow(),
    redeemedAt: timestamp("redeemed_at", { withTimezone: true }),
  },
  (t) => [
    uniqueIndex("coupon_assignments_code_user_uq").on(t.codeId, t.userId),
    // The last line of defence for DESIGN §5.4: a UNIQUE-kind code is never held by two users.
    uniqueIndex("coupon_assignments_exclusive_code_uq")
      .on(t.codeId)
      .where(sql`not ${t.shared}`),
    index("coupon_assignments_book_user_idx").on(t.bookId, t.userId),
    index("coupon_assignments_business_user_idx").on(t.businessId, t.userId, t.assignedAt.desc()),
    check("coupon_assignments_redeem_count_nonneg", sql`${t.redeemCount} >= 0`),
  ],
);

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
    discountAmount: integer("discount_amount").notNull().default(0),
    orderSubtotal: integer("order_subtotal"),
    orderTotal: integer("order_total"),
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
    priceTower: jsonb("price_tower"),
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
  ],
);

/** Stored responses of POST creates sent with an Idempotency-Key header (DESIGN §6). */
export const idempotencyKeys = pgTable(
  "idempotency_keys",
  {
    scope: text("scope").notNull(),
    key: text("key").notNull(),
    requestHash: text("request_hash"),
    responseStatus: integer("response_status"),
    responseBody: jsonb("response_body"),
    createdAt: createdAt(),
    completedAt: timestamp("completed_at", { withTimezone: true }),
  },
  (t) => [uniqueIndex("idempotency_keys_scope_key_uq").on(t.scope, t.key)],
);

/**
 * Applied uses and discount of a capped book, so that a cap check reads one row plus the live
 * reservations instead of summing a ledger that grows with the campaign. Created under the book's
 * cap lock the first time a capped book is checked (lib/coupons/usage.ts), then kept by every
 * consumption; uncapped books have none, so their redemptions share no counter row.
 */
export const bookCapUsage = pgTable("book_cap_usage", {
  bookId: uuid("book_id")
    .primaryKey()
    .references(() => couponBooks.id),
  businessId: uuid("business_id").notNull(),
  appliedUses: integer("applied_uses").notNull().default(0),
  appliedDiscount: bigint("applied_discount", { mode: "number" }).notNull().default(0),
  updatedAt: updatedAt(),
});

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
    subtotal: integer("subtotal"),
    discountAmount: integer("discount_amount").notNull(),
    total: integer("total"),
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

/**
 * Every internal promo redeem, whatever its result (DESIGN §3). Raw codes never land here: the code
 * is an HMAC, the ip too; `reason` is the precise cause, for ops only.
 */
export const promoAttempts = pgTable(
  "promo_attempts",
  {
    id: id(),
    businessId: uuid("business_id").notNull(),
    normalizedCodeHash: text("normalized_code_hash").notNull(),
    codePrefix: text("code_prefix").notNull(),
    bookId: uuid("book_id"),
    /** For an unknown code: the book, among the cart's businesses, whose code_prefix is its longest prefix. */
    attributedBookId: uuid("attributed_book_id"),
    userId: text("user_id").notNull(),
    ipHash: text("ip_hash"),
    checkoutId: text("checkout_id"),
    result: promoResult("result").notNull(),
    reason: text("reason").notNull(),
    attemptedAt: timestamp("attempted_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("promo_attempts_attempted_idx").on(t.attemptedAt),
    index("promo_attempts_book_idx").on(t.bookId, t.attemptedAt),
    index("promo_attempts_attributed_idx").on(t.attributedBookId, t.attemptedAt),
    index("promo_attempts_hash_idx").on(t.normalizedCodeHash, t.attemptedAt),
  ],
);

export const alertChannel = pgEnum("alert_channel", ["generic", "slack", "pagerduty"]);
export const alertDeliveryStatus = pgEnum("alert_delivery_status", ["PENDING", "DELIVERED", "FAILED"]);

/**
 * The alert outbox (DESIGN §8): written in the transaction of what raised it, delivered later, one
 * delivery row per channel. The dedupe key makes raising the same alert twice a no-op.
 */
export const opsAlerts = pgTable(
  "ops_alerts",
  {
    id: id(),
    eventType: text("event_type").notNull(),
    severity: text("severity").notNull(),
    escalation: text("escalation").notNull(),
    dedupeKey: text("dedupe_key").notNull(),
    summary: text("summary").notNull(),
    payload: jsonb("payload").notNull().default(sql`'{}'::jsonb`),
    businessId: uuid("business_id"),
    bookId: uuid("book_id"),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("ops_alerts_dedupe_uq").on(t.dedupeKey),
    index("ops_alerts_created_idx").on(t.createdAt.desc()),
  ],
);

export const opsAlertDeliveries = pgTable(
  "ops_alert_deliveries",
  {
    id: id(),
    alertId: uuid("alert_id")
      .notNull()
      .references(() => opsAlerts.id),
    channel: alertChannel("channel").notNull(),
    status: alertDeliveryStatus("status").notNull().default("PENDING"),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: timestamp("next_attempt_at", { withTimezone: true }).notNull().defaultNow(),
    lastError: text("last_error"),
    lastStatusCode: integer("last_status_code"),
    deliveredAt: timestamp("delivered_at", { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("ops_alert_deliveries_alert_channel_uq").on(t.alertId, t.channel),
    index("ops_alert_deliveries_due_idx").on(t.nextAttemptAt).where(sql`${t.status} = 'PENDING'`),
  ],
);

/** Where a job that walks a whole table in slices (reconciliation) stopped, so the next run goes on from there. */
export const jobCursors = pgTable("job_cursors", {
  job: text("job").primaryKey(),
  cursor: jsonb("cursor").notNull().default(sql`'{}'::jsonb`),
  updatedAt: updatedAt(),
});
