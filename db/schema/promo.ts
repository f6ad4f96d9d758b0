import { index, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
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
  ],
);
