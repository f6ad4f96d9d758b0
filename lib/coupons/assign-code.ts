import { and, eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { couponAssignments, couponBooks, couponCodes } from "@/db/schema";
import { isShopper, type Actor } from "@/lib/auth/actor";
import { AppError } from "@/lib/errors";
import type { RequestMeta } from "@/lib/request-meta";
import { requireBusinessScope } from "./access";
import { actingUserId } from "./acting-user";
import type { AssignmentDto } from "./assignment-dto";
import { assertBookUsable } from "./book-usability";
import { claimCode } from "./create-assignment";
import { transactionNow } from "./db-now";
import { lockBookUser } from "./usage";

const notFound = () => new AppError("COUPON_NOT_FOUND", "Coupon not found");

/**
 * POST /api/assignments/:code: hands one named code to a user. Shoppers may only claim a GENERIC
 * book's public code; a UNIQUE code answers them like an unknown one, so guessing reveals nothing.
 */
export async function assignCode(
  db: Db,
  actor: Actor,
  rawCode: string,
  input: { userId?: string; businessId?: string },
  meta: RequestMeta,
): Promise<AssignmentDto> {
  const userId = actingUserId(actor, input.userId);
  // Shoppers name the business of the public code they claim.
  const businessId = requireBusinessScope(actor, input.businessId, { allowShoppers: true });
  return db.transaction(async (tx) => {
    const [found] = await tx
      .select({ code: couponCodes, book: couponBooks, now: transactionNow() })
      .from(couponCodes)
      .innerJoin(couponBooks, eq(couponBooks.id, couponCodes.bookId))
      .where(and(eq(couponCodes.businessId, businessId), eq(couponCodes.code, rawCode)))
      .for("update", { of: couponCodes });
    if (!found) throw notFound();
    const { code, book, now } = found;
    if (isShopper(actor) && (book.codeKind !== "GENERIC" || code.status === "DISABLED")) throw notFound();
    assertBookUsable(book, now);
    if (code.status === "DISABLED") throw new AppError("COUPON_DISABLED", "This coupon is disabled");

    if (book.codeKind === "UNIQUE") {
      if (code.status === "ASSIGNED") {
        const [holder] = await tx
          .select({ userId: couponAssignments.userId })
          .from(couponAssignments)
          .where(eq(couponAssignments.codeId, code.id));
        throw new AppError("COUPON_ALREADY_ASSIGNED", "This coupon is already assigned", {
          assignedToThisUser: holder?.userId === userId,
        });
      }
      // The user's codes are counted by the claim, in a statement after this lock (DESIGN §5.3).
      await lockBookUser(tx, book.id, userId);
    }
    return claimCode(tx, actor, meta, book, userId, code, { checkCap: book.codeKind === "UNIQUE" });
  });
}
