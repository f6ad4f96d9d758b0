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
}

/**
 * The book an attempt concerns: the code's own book when it was found, else (DESIGN §8) the book,
 * among the cart's businesses, whose code_prefix is the longest prefix of the code.
 */
async function bookOfAttempt(db: DbOrTx, input: AttemptInput) {
  if (input.book) return { ...input.book, attributed: false };
  if (input.code === "" || input.businessIds.length === 0) return null;
  const [book] = await db
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
  return book ? { ...book, attributed: true } : null;
}

/** Writes the promo_attempts row of one internal redeem (DESIGN §3) and its log line; raw codes reach neither. */
export async function recordAttempt(db: DbOrTx, input: AttemptInput) {
  const book = await bookOfAttempt(db, input);
  const normalizedCodeHash = hashCode(input.code);
  await db.insert(promoAttempts).values({
    businessId: book?.businessId ?? input.businessIds[0]!,
    normalizedCodeHash,
    codePrefix: visiblePrefix(input.code, book?.codePrefix),
    bookId: input.book?.id ?? null,
    attributedBookId: book?.attributed ? book.id : null,
    userId: input.userId,
    ipHash: input.ip ? hashIp(input.ip) : null,
    checkoutId: input.checkoutId,
    result: input.result,
    reason: input.reason,
  });
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
    },
    "promo attempt",
  );
}
