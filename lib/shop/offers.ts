import { and, asc, eq, gt, isNull, lte, or, sql } from "drizzle-orm";
import type { Db, DbOrTx } from "@/db/client";
import { businesses, couponAssignments, couponBooks } from "@/db/schema";
import type { ShopperActor } from "@/lib/auth/actor";
import { assignRandomCoupon } from "@/lib/coupons/assign-random";
import { AppError, isAppError } from "@/lib/errors";
import type { RequestMeta } from "@/lib/request-meta";
import type { ClaimOfferInput } from "./schemas";

/** Books shoppers may claim from: the seller turned self-service on, and the book is running now. */
const claimable = () =>
  and(
    eq(couponBooks.selfServiceClaim, true),
    eq(couponBooks.status, "ACTIVE"),
    or(isNull(couponBooks.validFrom), lte(couponBooks.validFrom, sql`now()`)),
    or(isNull(couponBooks.expiresAt), gt(couponBooks.expiresAt, sql`now()`)),
  );

/** The offers page: every claimable book with its seller, how many codes the shopper already holds of it, and whether any is left. */
export async function listOffers(db: DbOrTx, shopper: ShopperActor) {
  const rows = await db
    .select({
      book: couponBooks,
      sellerName: businesses.name,
      held: sql<number>`(select count(*)::int from coupon_assignments a where a.book_id = ${couponBooks.id} and a.user_id = ${shopper.userId})`,
      // Whether a claim could still find a code (a GENERIC book's one shared code stays AVAILABLE).
      hasCodesLeft: sql<boolean>`exists(select 1 from coupon_codes c where c.book_id = ${couponBooks.id} and c.status = 'AVAILABLE')`,
    })
    .from(couponBooks)
    .innerJoin(businesses, eq(businesses.id, couponBooks.businessId))
    .where(claimable())
    .orderBy(asc(businesses.name), asc(couponBooks.name));
  return rows.map(({ book, sellerName, held, hasCodesLeft }) => ({
    couponBookId: book.id,
    name: book.name,
    description: book.description,
    sellerName,
    discountType: book.discountType,
    discountValue: book.discountValue,
    currency: book.currency,
    minOrderAmount: book.minOrderAmount,
    expiresAt: book.expiresAt?.toISOString() ?? null,
    held,
    maxPerShopper: book.codeKind === "GENERIC" ? 1 : book.maxCodesPerUser,
    /** False once every code is claimed: the page shows that instead of a Claim button bound to fail. */
    hasCodesLeft,
  }));
}
export type Offer = Awaited<ReturnType<typeof listOffers>>[number];

/**
 * Claims a code of an offer for the signed-in shopper: the coupon API's random assignment (its
 * per-user limit, its row locks), on a book that allows self-service. A book that does not is
 * answered like a missing one.
 */
export async function claimOffer(db: Db, shopper: ShopperActor, input: ClaimOfferInput, meta: RequestMeta) {
  const [book] = await db
    .select({ id: couponBooks.id, maxCodesPerUser: couponBooks.maxCodesPerUser, codeKind: couponBooks.codeKind })
    .from(couponBooks)
    .where(and(eq(couponBooks.id, input.couponBookId), claimable()));
  if (!book) throw new AppError("BOOK_NOT_FOUND", "This offer is not available");
  if (book.codeKind === "GENERIC") {
    const [held] = await db.select({ id: couponAssignments.id }).from(couponAssignments).where(and(eq(couponAssignments.bookId, book.id), eq(couponAssignments.userId, shopper.userId)));
    if (held) throw new AppError("MAX_CODES_PER_USER_REACHED", "You already hold this offer's code");
  }
  try {
    return await assignRandomCoupon(db, shopper, { couponBookId: book.id }, meta);
  } catch (error) {
    if (isAppError(error) && error.code === "MAX_CODES_PER_USER_REACHED") {
      throw new AppError("MAX_CODES_PER_USER_REACHED", `You already hold the most codes of this offer a shopper may have (${book.maxCodesPerUser})`);
    }
    if (isAppError(error) && error.code === "NO_CODES_AVAILABLE") throw new AppError("NO_CODES_AVAILABLE", "Every code of this offer has been claimed");
    throw error;
  }
}
