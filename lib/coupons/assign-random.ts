import { and, eq, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { renderedOnce } from "@/db/rendered-once";
import { couponBooks } from "@/db/schema";
import { actorBusinessId, type Actor } from "@/lib/auth/actor";
import { AppError } from "@/lib/errors";
import type { RequestMeta } from "@/lib/request-meta";
import { actingUserId } from "./acting-user";
import type { AssignmentDto } from "./assignment-dto";
import { assertBookUsable } from "./book-usability";
import { claimCode } from "./create-assignment";
import { transactionNow } from "./db-now";
import { bookUserLock } from "./usage";

/**
 * POST /api/assignments/random: a random available code of an ACTIVE book for a user. The book row
 * is read, never locked, so claims in one book run in parallel (issue: "must not lock the book row").
 * Four round trips: BEGIN, the book (with the clock and the user's lock), the claim, COMMIT.
 */
export async function assignRandomCoupon(
  db: Db,
  actor: Actor,
  input: { couponBookId: string; userId?: string },
  meta: RequestMeta,
): Promise<AssignmentDto> {
  const userId = actingUserId(actor, input.userId);
  const own = actorBusinessId(actor);
  return db.transaction(async (tx) => {
    const [found] = await renderedOnce(tx, `assignRandomCoupon:book:${own ? "own" : "any"}`, { bookId: input.couponBookId, userId, own: own ?? "" }, (v) =>
      tx
        .select({
          book: couponBooks,
          now: transactionNow(),
          // A UNIQUE book's claims count against max_codes_per_user, under the (book, user) lock taken
          // here, for the book row found only; a GENERIC book's one public code is held once per user by
          // a unique key instead.
          userLock: sql`case when ${couponBooks.codeKind} = 'UNIQUE' then ${bookUserLock(sql`${couponBooks.id}::text`, v.userId)} end`,
        })
        .from(couponBooks)
        .where(and(eq(couponBooks.id, v.bookId), own ? eq(couponBooks.businessId, v.own) : undefined)),
    );
    if (!found) throw new AppError("BOOK_NOT_FOUND", "Coupon book not found", { couponBookId: input.couponBookId });
    const { book } = found;
    assertBookUsable(book, found.now);
    return claimCode(tx, actor, meta, book, userId, book.codeKind === "GENERIC" ? "public" : "random", { checkCap: book.codeKind === "UNIQUE" });
  });
}
