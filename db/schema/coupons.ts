import { sql } from "drizzle-orm";
import { boolean, check, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { createdAt, id, money, updatedAt } from "./columns";
import { assignmentStatus, bookStatus, codeKind, codeStatus, discountType, generationRunStatus } from "./enums";
import { businesses } from "./tenants";

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
    discountValue: money("discount_value").notNull().default(0),
    currency: text("currency").notNull().default("USD"),
    minOrderAmount: money("min_order_amount").notNull().default(0),
    maxDiscountAmount: money("max_discount_amount"),
    maxCodesPerUser: integer("max_codes_per_user").notNull().default(1),
    maxRedeemsPerUser: integer("max_redeems_per_user").notNull().default(1),
    maxTotalRedemptions: integer("max_total_redemptions"),
    budgetAmount: money("budget_amount"),
    totalCodesExpected: integer("total_codes_expected"),
    generatedCount: integer("generated_count").notNull().default(0),
    codePrefix: text("code_prefix"),
    validFrom: timestamp("valid_from", { withTimezone: true }),
    expiresAt: timestamp("expires_at", { withTimezone: true }),
    lockTtlSeconds: integer("lock_ttl_seconds").notNull().default(300),
    pausedBy: text("paused_by"),
    /** Shoppers may claim a code themselves from the store's offers page (off unless the seller turns it on). */
    selfServiceClaim: boolean("self_service_claim").notNull().default(false),
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

/**
 * A background generation of a UNIQUE book's codes (lib/coupons/generation-runs.ts). Each chunk of
 * codes commits with `generated` and the book's generated_count in one transaction, so progress is
 * exact and a run a worker dropped resumes where it stopped; `lease_until` keeps two workers from
 * running it at once. `request_key` makes a resubmitted form find its run instead of starting another.
 */
export const codeGenerationRuns = pgTable(
  "code_generation_runs",
  {
    id: id(),
    businessId: uuid("business_id").notNull(),
    bookId: uuid("book_id")
      .notNull()
      .references(() => couponBooks.id),
    requestKey: text("request_key").notNull(),
    pattern: text("pattern").notNull(),
    quantity: integer("quantity").notNull(),
    generated: integer("generated").notNull().default(0),
    status: generationRunStatus("status").notNull().default("QUEUED"),
    error: text("error"),
    /** Who asked, and from where: the run's audit row names them, written when the run ends. */
    requestedBy: jsonb("requested_by").notNull(),
    requestIp: text("request_ip"),
    requestUserAgent: text("request_user_agent"),
    leaseUntil: timestamp("lease_until", { withTimezone: true }).notNull().defaultNow(),
    createdAt: createdAt(),
    startedAt: timestamp("started_at", { withTimezone: true }),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("code_generation_runs_book_request_uq").on(t.bookId, t.requestKey),
    index("code_generation_runs_book_created_idx").on(t.bookId, t.createdAt.desc()),
    index("code_generation_runs_unfinished_idx")
      .on(t.leaseUntil)
      .where(sql`${t.status} in ('QUEUED', 'RUNNING')`),
    check("code_generation_runs_progress", sql`${t.quantity} > 0 and ${t.generated} between 0 and ${t.quantity}`),
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
  appliedDiscount: money("applied_discount").notNull().default(0),
  updatedAt: updatedAt(),
});
