import { and, count, eq, sql } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { couponAssignments, couponBooks, couponCodes } from "@/db/schema";
import type { Actor } from "@/lib/auth/actor";
import { AppError } from "@/lib/errors";
import type { RequestMeta } from "@/lib/request-meta";
import { toAssignmentDto } from "./assignment-dto";
import { writeAudit } from "./audit";
import { lockBookUser } from "./usage";

type Book = typeof couponBooks.$inferSelect;

/**
 * Takes the (book, user) advisory lock and checks max_codes_per_user under it, so parallel
 * claims of one user serialize while other users of the book run in parallel (DESIGN §5.3).
 */
export async function reserveUserSlot(tx: Tx, book: Book, userId: string) {
  await lockBookUser(tx, book.id, userId);
  const [held] = await tx
    .select({ n: count() })
    .from(couponAssignments)
    .where(and(eq(couponAssignments.bookId, book.id), eq(couponAssignments.userId, userId)));
  if ((held?.n ?? 0) >= book.maxCodesPerUser) {
    throw new AppError("MAX_CODES_PER_USER_REACHED", `This user already holds ${book.maxCodesPerUser} code(s) of this book`, {
      maxCodesPerUser: book.maxCodesPerUser,
    });
  }
}

/** Hands `code` to `userId`: the code row must already be row-locked (or be a GENERIC book's shared code). */
export async function createAssignment(
  tx: Tx,
  actor: Actor,
  meta: RequestMeta,
  book: Book,
  code: { id: string; code: string },
  userId: string,
) {
  const shared = book.codeKind === "GENERIC";
  if (!shared) {
    await tx.update(couponCodes).set({ status: "ASSIGNED" }).where(eq(couponCodes.id, code.id));
  }
  const [assignment] = await tx
    .insert(couponAssignments)
    .values({ businessId: book.businessId, codeId: code.id, bookId: book.id, userId, shared })
    .onConflictDoNothing()
    .returning();
  if (!assignment) {
    throw new AppError("COUPON_ALREADY_ASSIGNED", "This coupon is already assigned to this user");
  }
  await writeAudit(tx, actor, meta, {
    businessId: book.businessId,
    bookId: book.id,
    codeId: code.id,
    assignmentId: assignment.id,
    userId,
    action: "ASSIGN",
    previousStatus: shared ? null : "AVAILABLE",
    newStatus: "ASSIGNED",
    redeemCount: 0,
    maxRedeems: book.maxRedeemsPerUser,
  });
  return toAssignmentDto(assignment, code.code, book.maxRedeemsPerUser);
}

export const randomKey = () => Math.floor(Math.random() * 2_147_483_647);

/**
 * One AVAILABLE code of the book, row-locked, in O(log n): a random start on the partial
 * (book_id, random_key) index, wrapping around; SKIP LOCKED so parallel claims never wait on
 * or hand out the same code (DESIGN §5.4).
 */
export async function pickAvailableCode(tx: Tx, bookId: string) {
  const start = randomKey();
  for (const side of [sql`>=`, sql`<`]) {
    const [code] = await tx
      .select({ id: couponCodes.id, code: couponCodes.code })
      .from(couponCodes)
      .where(and(eq(couponCodes.bookId, bookId), eq(couponCodes.status, "AVAILABLE"), sql`${couponCodes.randomKey} ${side} ${start}`))
      .orderBy(couponCodes.randomKey)
      .limit(1)
      .for("update", { skipLocked: true });
    if (code) return code;
  }
  return null;
}
