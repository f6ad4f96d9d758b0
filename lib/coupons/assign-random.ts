import { and, eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { couponBooks, couponCodes } from "@/db/schema";
import { actorBusinessId, type Actor } from "@/lib/auth/actor";
import { AppError } from "@/lib/errors";
import type { RequestMeta } from "@/lib/request-meta";
import { actingUserId } from "./acting-user";
import { assertBookUsable } from "./book-usability";
import { createAssignment, pickAvailableCode, reserveUserSlot } from "./create-assignment";
import { dbNow } from "./db-now";

/**
 * POST /api/assignments/random: a random available code of an ACTIVE book for a user. The book row
 * is read, never locked, so claims in one book run in parallel (issue: "must not lock the book row").
 */
export async function assignRandomCoupon(
  db: Db,
  actor: Actor,
  input: { couponBookId: string; userId?: string },
  meta: RequestMeta,
) {
  const userId = actingUserId(actor, input.userId);
  const own = actorBusinessId(actor);
  return db.transaction(async (tx) => {
    const [book] = await tx
      .select()
      .from(couponBooks)
      .where(and(eq(couponBooks.id, input.couponBookId), own ? eq(couponBooks.businessId, own) : undefined));
    if (!book) throw new AppError("BOOK_NOT_FOUND", "Coupon book not found", { couponBookId: input.couponBookId });
    assertBookUsable(book, await dbNow(tx));
    // A GENERIC book's one public code is held once per user (unique key); UNIQUE books count per user.
    if (book.codeKind === "UNIQUE") await reserveUserSlot(tx, book, userId);

    const code =
      book.codeKind === "GENERIC"
        ? (
            await tx
              .select({ id: couponCodes.id, code: couponCodes.code })
              .from(couponCodes)
              .where(and(eq(couponCodes.bookId, book.id), eq(couponCodes.status, "AVAILABLE")))
          )[0]
        : await pickAvailableCode(tx, book.id);
    if (!code) throw new AppError("NO_CODES_AVAILABLE", "This coupon book has no codes left to assign", { couponBookId: book.id });
    return createAssignment(tx, actor, meta, book, code, userId);
  });
}
