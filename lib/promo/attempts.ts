import { and, desc, inArray, isNotNull, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { couponBooks, promoAttempts } from "@/db/schema";
import type { PromoResult } from "@/db/schema";
import { logger } from "@/lib/log";
import { hashCode, hashIp, visiblePrefix } from "./hashing";

type AttemptBook = Pick<typeof couponBooks.$inferSelect, "id" | "businessId" | "codePrefix">;

export interface AttemptInput {
  /** Normalized; it is hashed here and never stored or logged as is. */
  code: string;
  userId: string;
  checkoutId: string | null;
  ip: string | null | undefined;
  /** The cart's businesses in item order: where an unknown code is attributed. */
  businessIds: string[];
  /** The book of the code, when the code was found. */
  book: AttemptBook | null;
  result: PromoResult;
  reason: string;
  /** Who made the call (actorLabel); the row's user_id is the acting shopper, which a service names for them. */
  actor: string;
}

/**
 * The book whose code_prefix is the longest prefix of the code, among the cart's businesses
 * (DESIGN §8): where an unknown code is attributed.
 */
const attributionOf = (db: DbOrTx, input: AttemptInput) =>
  db
    .select({ id: couponBooks.id, businessId: couponBooks.businessId, codePrefix: couponBooks.codePrefix })
    .from(couponBooks)
    .where(
      and(
        inArray(couponBooks.businessId, input.businessIds),
        isNotNull(couponBooks.codePrefix),
        sql`starts_with(${input.code}, ${couponBooks.codePrefix})`,
      ),
    )
    .orderBy(sql`length(${couponBooks.codePrefix}) desc`, desc(couponBooks.createdAt))
    .limit(1);

/**
 * Writes the promo_attempts row of one attempt (internal redeem, validate, public lock and redeem;
 * DESIGN §3) and its log line; raw codes reach neither. The row and its attribution are one
 * statement, and the attribution query runs for found codes too: an unknown code and someone
 * else's code then cost the same work, so the time of a refusal does not tell them apart
 * (docs/benchmarks.md, "No timing oracle"). An attempt with no business at all (a shopper's call
 * naming no cart or business, of a code they don't hold, while holding no coupon) can't be
 * attributed to any campaign and has no business to be stored under: it is only logged.
 */
export async function recordAttempt(db: DbOrTx, input: AttemptInput) {
  const normalizedCodeHash = hashCode(input.code);
  const { book } = input;
  const columns = {
    normalizedCodeHash,
    bookId: book?.id ?? null,
    userId: input.userId,
    actor: input.actor,
    ipHash: input.ip ? hashIp(input.ip) : null,
    checkoutId: input.checkoutId,
    result: input.result,
    reason: input.reason,
  };
  let stored: { businessId: string; attributedBookId: string | null } | undefined;
  if (input.code !== "" && input.businessIds.length > 0) {
    const attributed = db.$with("attributed").as(attributionOf(db, input));
    [stored] = await db
      .with(attributed)
      .insert(promoAttempts)
      .values({
        ...columns,
        businessId: book ? book.businessId : sql`coalesce((select business_id from attributed), ${input.businessIds[0]}::uuid)`,
        // visiblePrefix's first case for the attributed book, whose code_prefix starts the code by construction.
        codePrefix: book
          ? visiblePrefix(input.code, book.codePrefix)
          : sql`coalesce((select code_prefix from attributed where code_prefix <> '' and length(code_prefix) < ${input.code.length}::int), ${visiblePrefix(input.code, null)}::text)`,
        // A found code's row names its own book; it still reads the attribution (timing, above).
        attributedBookId: book ? sql`(select null::uuid from attributed)` : sql`(select id from attributed)`,
      })
      .returning({ businessId: promoAttempts.businessId, attributedBookId: promoAttempts.attributedBookId });
  } else if (book) {
    await db.insert(promoAttempts).values({ ...columns, businessId: book.businessId, codePrefix: visiblePrefix(input.code, book.codePrefix), attributedBookId: null });
    stored = { businessId: book.businessId, attributedBookId: null };
  }
  logger.info(
    {
      event: "promo_attempt",
      result: input.result,
      reason: input.reason,
      bookId: input.book?.id ?? null,
      attributedBookId: stored?.attributedBookId ?? null,
      codeHash: normalizedCodeHash.slice(0, 16),
      userId: input.userId,
      checkoutId: input.checkoutId,
      actor: input.actor,
      ...(stored ? {} : { stored: false }),
    },
    "promo attempt",
  );
}
