import { and, desc, eq, inArray, sql } from "drizzle-orm";
import type { Tx } from "@/db/client";
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

/** The assignment matching `where` (the newest), row-locked, with its code, book and the DB clock. */
export async function lockedAssignment(tx: Tx, where: ReturnType<typeof and>): Promise<CouponTarget | null> {
  const [row] = await tx
    .select({ assignment: couponAssignments, code: couponCodes, book: couponBooks, now: sql<string>`now()` })
    .from(couponAssignments)
    .innerJoin(couponCodes, eq(couponCodes.id, couponAssignments.codeId))
    .innerJoin(couponBooks, eq(couponBooks.id, couponAssignments.bookId))
    .where(where)
    .orderBy(desc(couponAssignments.assignedAt))
    .limit(1)
    .for("update", { of: couponAssignments });
  return row ? { ...row, now: new Date(row.now) } : null;
}

/**
 * What a shopper session gets for a code it holds no live assignment of: the unknown code's 404,
 * always. When the code is real (among `attributeAmong`, the businesses its attempt is attributed
 * among), the error carries that cause and `trace` its book, so the attempt row says NOT_OWNER on
 * the code's book like the internal redeem's (the guard's leaked-code trigger counts those). An
 * unknown code runs the same lookup, so the time of the 404 tells nothing either.
 */
async function shopperMiss(tx: Tx, input: { code: string; attributeAmong?: string[] }, trace: AttemptTrace = {}) {
  if (!input.attributeAmong?.length) return notFound();
  const [real] = await tx
    .select({ book: couponBooks, status: couponCodes.status })
    .from(couponCodes)
    .innerJoin(couponBooks, eq(couponBooks.id, couponCodes.bookId))
    .where(and(inArray(couponCodes.businessId, input.attributeAmong), eq(couponCodes.code, input.code)))
    .limit(1);
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
 * as it is found, so a refusal's attempt row names it.
 */
export async function findCouponTarget(
  tx: Tx,
  actor: Actor,
  input: { code: string; userId: string; businessId?: string; attributeAmong?: string[] },
  meta: RequestMeta,
  trace: AttemptTrace = {},
): Promise<CouponTarget> {
  if (isShopper(actor)) {
    const target = await lockedAssignment(
      tx,
      and(eq(couponCodes.code, input.code), eq(couponAssignments.userId, input.userId), sql`${couponCodes.status} <> 'DISABLED'`),
    );
    if (!target) throw await shopperMiss(tx, input, trace);
    trace.book = target.book;
    return target;
  }

  const businessId = requireBusinessScope(actor, input.businessId);
  const byCode = and(eq(couponCodes.businessId, businessId), eq(couponCodes.code, input.code));
  const target = await lockedAssignment(tx, and(byCode, eq(couponAssignments.userId, input.userId)));
  if (target) {
    trace.book = target.book;
    return target;
  }

  const [code] = await tx
    .select({ code: couponCodes, book: couponBooks })
    .from(couponCodes)
    .innerJoin(couponBooks, eq(couponBooks.id, couponCodes.bookId))
    .where(byCode);
  if (!code) throw notFound();
  trace.book = code.book;
  if (code.book.codeKind === "GENERIC" && code.code.status !== "DISABLED") {
    return claimGenericCode(tx, actor, meta, code, input.userId);
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
): Promise<CouponTarget> {
  const { code, book } = found;
  const [created] = await tx
    .insert(couponAssignments)
    .values({ businessId: book.businessId, codeId: code.id, bookId: book.id, userId, shared: true })
    .onConflictDoNothing()
    .returning({ id: couponAssignments.id });
  if (created) {
    await writeAudit(tx, actor, meta, {
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
    });
  }
  const target = await lockedAssignment(tx, and(eq(couponAssignments.codeId, code.id), eq(couponAssignments.userId, userId)));
  if (!target) throw new AppError("CONFLICT", "The coupon changed during the request; retry");
  return target;
}
