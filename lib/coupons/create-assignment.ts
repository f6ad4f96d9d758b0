import { and, count, eq, getTableColumns, gte, lt, sql } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { insertSelect } from "@/db/insert-select";
import { renderedOnce } from "@/db/rendered-once";
import { couponAssignments, couponBooks, couponCodes } from "@/db/schema";
import type { Actor } from "@/lib/auth/actor";
import { AppError } from "@/lib/errors";
import type { RequestMeta } from "@/lib/request-meta";
import { toAssignmentDto } from "./assignment-dto";
import { auditInsertFrom, auditSource } from "./audit";
import { lockBookUser } from "./usage";

type Book = typeof couponBooks.$inferSelect;
type Code = { id: string; code: string };

/**
 * Where a claim's code comes from: a random AVAILABLE code of a UNIQUE book, the public code of a
 * GENERIC book (shared by its users, never locked), or a code the caller has already row-locked.
 */
export type CodeSource = "random" | "public" | Code;

const maxCodesReached = (book: Book) =>
  new AppError("MAX_CODES_PER_USER_REACHED", `This user already holds ${book.maxCodesPerUser} code(s) of this book`, {
    maxCodesPerUser: book.maxCodesPerUser,
  });

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
  if ((held?.n ?? 0) >= book.maxCodesPerUser) throw maxCodesReached(book);
}

/** Hands `code` to `userId`: the code row must already be row-locked (or be a GENERIC book's shared code). */
export async function createAssignment(tx: Tx, actor: Actor, meta: RequestMeta, book: Book, code: Code, userId: string) {
  return claimCode(tx, actor, meta, book, userId, code, { checkCap: false });
}

export const randomKey = () => Math.floor(Math.random() * 2_147_483_647);

/**
 * Hands a code of `book` to `userId` in one statement of data-modifying CTEs: the user's count
 * against max_codes_per_user (with `checkCap`), the pick, a UNIQUE code's AVAILABLE → ASSIGNED, the
 * assignment and its audit row (DESIGN §5.6), each step running only if the one before it produced
 * a row. With `checkCap` the caller must hold the (book, user) lock from an earlier statement: this
 * statement's snapshot, taken after the lock was granted, then sees every claim of that user that
 * held it before (in the same statement as the lock, the count would read a snapshot from before the
 * wait, DESIGN §5.3).
 *
 * A random pick starts at a random key on the partial (book_id, random_key) index and takes the
 * first code it can lock (SKIP LOCKED: parallel claims neither wait on nor hand out the same code,
 * §5.4); the wrap-around below the start key is scanned only when nothing lies above it.
 *
 * Throws MAX_CODES_PER_USER_REACHED, NO_CODES_AVAILABLE or COUPON_ALREADY_ASSIGNED; on a throw the
 * caller's transaction rolls back whatever the statement changed.
 */
export async function claimCode(
  tx: Tx,
  actor: Actor,
  meta: RequestMeta,
  book: Book,
  userId: string,
  source: CodeSource,
  { checkCap }: { checkCap: boolean },
) {
  const shared = book.codeKind === "GENERIC";
  const from = typeof source === "object" ? "code" : source;
  const values = {
    bookId: book.id,
    businessId: book.businessId,
    userId,
    maxCodesPerUser: book.maxCodesPerUser,
    maxRedeems: book.maxRedeemsPerUser,
    start: randomKey(),
    codeId: typeof source === "object" ? source.id : "",
    ...auditSource(actor, meta),
  };
  const [row] = await renderedOnce(tx, `claimCode:${from}:${book.codeKind}:${checkCap ? "capped" : "uncapped"}`, values, (v) => {
    const held = tx
      .$with("held")
      .as(
        tx
          .select({ n: count().as("n") })
          .from(couponAssignments)
          .where(and(eq(couponAssignments.bookId, v.bookId), eq(couponAssignments.userId, v.userId))),
      );
    const underCap = checkCap ? sql`(select ${held.n} from ${held}) < ${v.maxCodesPerUser}` : undefined;
    // Spelled as the partial index's predicate, so that a generic plan of the prepared statement can still use it.
    const available = sql`${couponCodes.status} = 'AVAILABLE'`;
    const codeColumns = { id: couponCodes.id, code: couponCodes.code };

    const picks = [];
    let picked;
    if (from === "random") {
      const pickFrom = (side: ReturnType<typeof gte>) =>
        tx
          .select(codeColumns)
          .from(couponCodes)
          .where(and(eq(couponCodes.bookId, v.bookId), available, side, underCap))
          .orderBy(couponCodes.randomKey)
          .limit(1)
          .for("update", { skipLocked: true });
      // Two CTEs, as FOR UPDATE is not allowed inside a UNION; the UNION's LIMIT stops before `wrapped` when `above` has a row.
      const above = tx.$with("above").as(pickFrom(gte(couponCodes.randomKey, v.start)));
      const wrapped = tx.$with("wrapped").as(pickFrom(lt(couponCodes.randomKey, v.start)));
      picked = tx.$with("picked").as(tx.select().from(above).unionAll(tx.select().from(wrapped)).limit(1));
      picks.push(above, wrapped);
    } else if (from === "public") {
      picked = tx.$with("picked").as(tx.select(codeColumns).from(couponCodes).where(and(eq(couponCodes.bookId, v.bookId), available)).limit(1));
    } else {
      picked = tx.$with("picked").as(tx.select(codeColumns).from(couponCodes).where(and(eq(couponCodes.id, v.codeId), underCap)));
    }

    const updated = tx
      .$with("updated")
      .as(tx.update(couponCodes).set({ status: "ASSIGNED" }).where(eq(couponCodes.id, picked.id)).from(picked).returning({ id: couponCodes.id }));
    const claimed = shared ? picked : updated;
    const assigned = tx
      .$with("assigned", getTableColumns(couponAssignments))
      .as(
        sql`${insertSelect(
          couponAssignments,
          { businessId: v.businessId, codeId: sql`${claimed.id}`, bookId: v.bookId, userId: v.userId, shared },
          sql`${claimed}`,
        )} on conflict do nothing returning *`,
      );
    const audited = tx.$with("audited", {}).as(
      auditInsertFrom(
        v,
        {
          businessId: v.businessId,
          bookId: v.bookId,
          codeId: sql`${assigned.codeId}`,
          assignmentId: sql`${assigned.id}`,
          userId: v.userId,
          action: "ASSIGN",
          previousStatus: shared ? null : "AVAILABLE",
          newStatus: "ASSIGNED",
          redeemCount: 0,
          maxRedeems: v.maxRedeems,
        },
        sql`${assigned}`,
      ),
    );

    const ctes = [held, ...picks, picked, ...(shared ? [] : [updated]), assigned, audited];
    return tx.with(...ctes).select().from(held).leftJoin(picked, sql`true`).leftJoin(assigned, sql`true`);
  });
  if (checkCap && row!.held.n >= book.maxCodesPerUser) throw maxCodesReached(book);
  if (!row!.picked) throw new AppError("NO_CODES_AVAILABLE", "This coupon book has no codes left to assign", { couponBookId: book.id });
  if (!row!.assigned) throw new AppError("COUPON_ALREADY_ASSIGNED", "This coupon is already assigned to this user");
  return toAssignmentDto(row!.assigned, row!.picked.code, book.maxRedeemsPerUser);
}
