import { and, desc, eq, inArray, sql, type SQL } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { renderedOnce, type Bound, type Buildable } from "@/db/rendered-once";
import { couponAssignments, couponBooks, couponCodes } from "@/db/schema";
import { isShopper, type Actor } from "@/lib/auth/actor";
import { AppError } from "@/lib/errors";
import type { AttemptTrace } from "@/lib/promo/attempt-transaction";
import { concealedCoupon } from "@/lib/promo/promo-results";
import type { RequestMeta } from "@/lib/request-meta";
import { requireBusinessScope } from "./access";
import { writeAudit } from "./audit";

export interface CouponTarget {
  assignment: typeof couponAssignments.$inferSelect;
  code: typeof couponCodes.$inferSelect;
  book: typeof couponBooks.$inferSelect;
  /** The transaction's clock (DB time). */
  now: Date;
}

const notFound = () => new AppError("COUPON_NOT_FOUND", "Coupon not found");

/** How a caller takes the assignment's row lock when another transaction holds it. */
export interface LockOptions {
  /**
   * Fail fast on a coupon that cannot be won by waiting: when the row is held by another
   * transaction and the assignment has at most one use left, answer 409 COUPON_LOCKED (reason
   * CONCURRENT_REQUEST) at once instead of queueing behind the holder. A redeem or lock of a
   * single-use code is decided by whoever holds the row: the holder takes the last use (or
   * reserves it), so 199 of 200 parallel callers would only wait to be refused, each holding a pool
   * connection meanwhile. With two or more uses left, waiters can win and still wait their turn.
   */
  failFast?: boolean;
  /** Learns the coupon's book before a fail-fast refusal, so its attempt row names the book. */
  trace?: AttemptTrace;
}

const withDbClock = { assignment: couponAssignments, code: couponCodes, book: couponBooks, now: sql<string>`now()` };

/**
 * What lockedAssignment looks for; its statements are rendered once per `shape` (db/rendered-once.ts):
 * `where` builds the condition from `bound` only, and branches only on what `shape` names.
 */
export interface AssignmentMatch<V extends Record<string, unknown> = Record<string, unknown>> {
  shape: string;
  values: V;
  where(bound: Bound<V>): SQL | undefined;
}

const assignmentMatch = <V extends Record<string, unknown>>(shape: string, values: V, where: (bound: Bound<V>) => SQL | undefined): AssignmentMatch<V> => ({
  shape,
  values,
  where,
});

/** The assignment with this id. */
export const assignmentById = (id: string) => assignmentMatch("id", { id }, (v) => eq(couponAssignments.id, v.id));

/** A user's assignment of this code. */
export const assignmentOfCodeUser = (codeId: string, userId: string) =>
  assignmentMatch("codeUser", { codeId, userId }, (v) => and(eq(couponAssignments.codeId, v.codeId), eq(couponAssignments.userId, v.userId)));

/** One of lockedAssignment's statements over `match`, rendered once per statement and shape. */
const overMatch = <Q extends Buildable>(tx: Tx, statement: string, match: AssignmentMatch, build: (where: SQL | undefined) => Q) =>
  renderedOnce(tx, `${statement}:${match.shape}`, match.values, (v) => build(match.where(v)));

/** The newest assignment matching `where`, joined with its code and book, and the DB clock (unlocked). */
const newestAssignment = (tx: Tx, where: SQL | undefined) =>
  tx
    .select(withDbClock)
    .from(couponAssignments)
    .innerJoin(couponCodes, eq(couponCodes.id, couponAssignments.codeId))
    .innerJoin(couponBooks, eq(couponBooks.id, couponAssignments.bookId))
    .where(where)
    .orderBy(desc(couponAssignments.assignedAt))
    .limit(1);

const targetOf = (row: { assignment: CouponTarget["assignment"]; code: CouponTarget["code"]; book: CouponTarget["book"]; now: string }): CouponTarget => ({
  ...row,
  now: new Date(row.now),
});

/** The refusal of a caller that found the coupon held by a concurrent request it cannot win against. */
export const concurrentRequest = () =>
  new AppError("COUPON_LOCKED", "This coupon is being used by a concurrent request; retry once that request has finished", {
    reason: "CONCURRENT_REQUEST",
    lockedUntil: null,
  });

/**
 * The assignment `match` finds (the newest; its condition may name assignment and code columns), row-locked, with its code, book and the DB clock.
 * With `failFast`, the lock is tried with SKIP LOCKED on the newest matching row (never an older
 * one: the newest is picked first, then locked), which costs nothing when the row is free; a held
 * row is then read without a lock to tell "busy" from "no such assignment" and to count the uses
 * left (see LockOptions). Never a second success: whoever proceeds holds the row lock, and every
 * check is made on the row as the lock returned it. Its statements are rendered once per shape of `match`.
 */
export async function lockedAssignment(tx: Tx, match: AssignmentMatch, options: LockOptions = {}): Promise<CouponTarget | null> {
  if (options.failFast) {
    const [free] = await overMatch(tx, "lockedAssignment:free", match, (w) => {
      const newestId = tx
        .select({ id: couponAssignments.id })
        .from(couponAssignments)
        .innerJoin(couponCodes, eq(couponCodes.id, couponAssignments.codeId))
        .where(w)
        .orderBy(desc(couponAssignments.assignedAt))
        .limit(1);
      return tx
        .select(withDbClock)
        .from(couponAssignments)
        .innerJoin(couponCodes, eq(couponCodes.id, couponAssignments.codeId))
        .innerJoin(couponBooks, eq(couponBooks.id, couponAssignments.bookId))
        .where(inArray(couponAssignments.id, newestId))
        .for("update", { of: couponAssignments, skipLocked: true });
    });
    if (free) return targetOf(free);
    const [held] = await overMatch(tx, "lockedAssignment:held", match, (w) => newestAssignment(tx, w));
    if (!held) return null;
    if (held.book.maxRedeemsPerUser - held.assignment.redeemCount <= 1) {
      if (options.trace) options.trace.book = held.book;
      throw concurrentRequest();
    }
  }
  const [row] = await overMatch(tx, "lockedAssignment:locked", match, (w) => newestAssignment(tx, w).for("update", { of: couponAssignments }));
  return row ? targetOf(row) : null;
}

/**
 * What a shopper session gets for a code it holds no live assignment of: the unknown code's 404,
 * always. When the code is real (among `attributeAmong`, the businesses its attempt is attributed
 * among), the error carries that cause and `trace` its book, so the attempt row says NOT_OWNER on
 * the code's book like the internal redeem's (the guard's leaked-code trigger counts those). An
 * unknown code runs the same lookup, so the time of the 404 tells nothing either.
 */
async function shopperMiss(tx: Tx, input: { code: string; attributeAmong?: string[] }, trace: AttemptTrace = {}) {
  const among = input.attributeAmong;
  if (!among?.length) return notFound();
  // One shape per number of businesses: each is a parameter of its own.
  const values = { code: input.code, ...Object.fromEntries(among.map((id, i) => [`among${i}`, id])) } as Record<string, string>;
  const [real] = await renderedOnce(tx, `shopperMiss:${among.length}`, values, (v) =>
    tx
      .select({ book: couponBooks, status: couponCodes.status })
      .from(couponCodes)
      .innerJoin(couponBooks, eq(couponBooks.id, couponCodes.bookId))
      .where(and(inArray(couponCodes.businessId, among.map((_, i) => v[`among${i}`]!)), eq(couponCodes.code, v.code!)))
      .limit(1),
  );
  if (!real) return notFound();
  trace.book = real.book;
  return concealedCoupon(
    real.status === "DISABLED" ? new AppError("COUPON_DISABLED", "This coupon is disabled") : new AppError("COUPON_NOT_ASSIGNED_TO_USER", "This coupon is not assigned to this user"),
  );
}

/**
 * The assignment a lock/unlock/redeem acts on, row-locked: the serialization point of every
 * state change of one holder's coupon. Shoppers find codes only among their own assignments, and
 * anything else (unknown, someone else's, disabled) is one 404, so there is no oracle for guessers.
 * A GENERIC code gets the user's assignment on first use. `trace` learns the code's book as soon
 * as it is found, so a refusal's attempt row names it. `options.failFast`: see LockOptions.
 */
export async function findCouponTarget(
  tx: Tx,
  actor: Actor,
  input: { code: string; userId: string; businessId?: string; attributeAmong?: string[] },
  meta: RequestMeta,
  trace: AttemptTrace = {},
  options: LockOptions = {},
): Promise<CouponTarget> {
  if (isShopper(actor)) {
    const target = await lockedAssignment(
      tx,
      assignmentMatch("shopperCode", { code: input.code, userId: input.userId }, (v) =>
        and(eq(couponCodes.code, v.code), eq(couponAssignments.userId, v.userId), sql`${couponCodes.status} <> 'DISABLED'`),
      ),
      { ...options, trace },
    );
    if (!target) throw await shopperMiss(tx, input, trace);
    trace.book = target.book;
    return target;
  }

  const businessId = requireBusinessScope(actor, input.businessId);
  const byCode = (v: Bound<{ businessId: string; code: string }>) => and(eq(couponCodes.businessId, v.businessId), eq(couponCodes.code, v.code));
  const target = await lockedAssignment(
    tx,
    assignmentMatch("businessCode", { businessId, code: input.code, userId: input.userId }, (v) => and(byCode(v), eq(couponAssignments.userId, v.userId))),
    { ...options, trace },
  );
  if (target) {
    trace.book = target.book;
    return target;
  }

  const [code] = await renderedOnce(tx, "findCouponTarget:code", { businessId, code: input.code }, (v) =>
    tx.select({ code: couponCodes, book: couponBooks }).from(couponCodes).innerJoin(couponBooks, eq(couponBooks.id, couponCodes.bookId)).where(byCode(v)),
  );
  if (!code) throw notFound();
  trace.book = code.book;
  if (code.book.codeKind === "GENERIC" && code.code.status !== "DISABLED") {
    return claimGenericCode(tx, actor, meta, code, input.userId, options);
  }
  if (code.code.status === "DISABLED") throw new AppError("COUPON_DISABLED", "This coupon is disabled");
  throw new AppError("COUPON_NOT_ASSIGNED_TO_USER", "This coupon is not assigned to this user", {
    status: code.code.status,
  });
}

/**
 * A user's assignment of a GENERIC book's public code, created (and audited) on first use, then
 * row-locked. The shared code row itself is never locked, so users of one public code run in parallel.
 */
export async function claimGenericCode(
  tx: Tx,
  actor: Actor,
  meta: RequestMeta,
  found: { code: typeof couponCodes.$inferSelect; book: typeof couponBooks.$inferSelect },
  userId: string,
  options: LockOptions = {},
): Promise<CouponTarget> {
  const { code, book } = found;
  const [created] = await renderedOnce(tx, "claimGenericCode:insert", { businessId: book.businessId, codeId: code.id, bookId: book.id, userId }, (v) =>
    tx
      .insert(couponAssignments)
      .values({ businessId: v.businessId, codeId: v.codeId, bookId: v.bookId, userId: v.userId, shared: true })
      .onConflictDoNothing()
      .returning({ id: couponAssignments.id }),
  );
  // The new assignment's audit row goes out with the lock of the assignment (one round trip).
  const [target] = await Promise.all([
    lockedAssignment(
      tx,
      assignmentOfCodeUser(code.id, userId),
      options,
    ),
    created
      ? writeAudit(tx, actor, meta, {
          businessId: book.businessId,
          bookId: book.id,
          codeId: code.id,
          assignmentId: created.id,
          userId,
          action: "ASSIGN",
          newStatus: "ASSIGNED",
          redeemCount: 0,
          maxRedeems: book.maxRedeemsPerUser,
          details: { firstUse: true },
        })
      : null,
  ]);
  if (!target) throw new AppError("CONFLICT", "The coupon changed during the request; retry");
  return target;
}
