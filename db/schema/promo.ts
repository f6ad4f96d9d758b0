import { sql } from "drizzle-orm";
import { index, integer, pgTable, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { id } from "./columns";
import { promoResult } from "./enums";

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
    /** Who made the call (an API key, the internal token, a session: actorLabel); null on rows older than the column. */
    actor: text("actor"),
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
    // The dashboard's candidate hashes read only the window's failed attempts (a small share of the
    // log) and only these columns: an index-only scan of failures instead of a scan of every attempt.
    index("promo_attempts_failed_idx")
      .on(t.attemptedAt, t.businessId, t.normalizedCodeHash, t.userId, t.ipHash)
      .where(sql`${t.result} <> 'ACCEPTED'`),
  ],
);

/**
 * promo_attempts counted per business, closed hour, result and reason (lib/maintenance/attempt-rollup.ts
 * fills it). Holds exactly the attempts before the job's cursor (`job_cursors`, job
 * `attempt-rollup`, `rolledThrough`): readers take the hours before it from here and the rest from
 * promo_attempts, so their figures are the same whatever the job's lag (lib/promo/attempt-rollup.ts).
 */
export const promoAttemptHourly = pgTable(
  "promo_attempt_hourly",
  {
    businessId: uuid("business_id").notNull(),
    /** Start of the hour (UTC). */
    hour: timestamp("hour", { withTimezone: true }).notNull(),
    result: promoResult("result").notNull(),
    reason: text("reason").notNull(),
    attempts: integer("attempts").notNull(),
  },
  (t) => [
    primaryKey({ name: "promo_attempt_hourly_pk", columns: [t.businessId, t.hour, t.result, t.reason] }),
    // The dashboard over every business reads a range of hours.
    index("promo_attempt_hourly_hour_idx").on(t.hour),
  ],
);
