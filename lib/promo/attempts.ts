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
 * The book an attempt concerns: the code's own book when it was found, else (DESIGN §8) the book,
 * among the cart's businesses, whose code_prefix is the longest prefix of the code. The prefix
 * query runs for found codes too: an unknown code and someone else's code then cost the same work,
 * so the time of a refusal does not tell them apart (docs/benchmarks.md, "No timing oracle").
 */
async function bookOfAttempt(db: DbOrTx, input: AttemptInput) {
  if (input.code === "" || input.businessIds.length === 0) return input.book ? { ...input.book, attributed: false } : null;
  const [byPrefix] = await db
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
  if (input.book) return { ...input.book, attributed: false };
  return byPrefix ? { ...byPrefix, attributed: true } : null;
}

/**
 * Writes the promo_attempts row of one attempt (internal redeem, validate, public lock and redeem;
 * DESIGN §3) and its log line; raw codes reach neither. An attempt with no business at all (a
 * shopper's call naming no cart or business, of a code they don't hold, while holding no coupon)
 * can't be attributed to any campaign and has no business to be stored under: it is only logged.
 */
export async function recordAttempt(db: DbOrTx, input: AttemptInput) {
  const book = await bookOfAttempt(db, input);
  const normalizedCodeHash = hashCode(input.code);
  const businessId = book?.businessId ?? input.businessIds[0];
  if (businessId) {
    await db.insert(promoAttempts).values({
      businessId,
      normalizedCodeHash,
      codePrefix: visiblePrefix(input.code, book?.codePrefix),
      bookId: input.book?.id ?? null,
      attributedBookId: book?.attributed ? book.id : null,
      userId: input.userId,
      actor: input.actor,
      ipHash: input.ip ? hashIp(input.ip) : null,
      checkoutId: input.checkoutId,
      result: input.result,
      reason: input.reason,
    });
  }
  logger.info(
    {
      event: "promo_attempt",
      result: input.result,
      reason: input.reason,
      bookId: input.book?.id ?? null,
      attributedBookId: book?.attributed ? book.id : null,
      codeHash: normalizedCodeHash.slice(0, 16),
      userId: input.userId,
      checkoutId: input.checkoutId,
      actor: input.actor,
      ...(businessId ? {} : { stored: false }),
    },
    "promo attempt",
  );
}
