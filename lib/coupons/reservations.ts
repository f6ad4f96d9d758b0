import { randomUUID } from "node:crypto";
import { and, eq, gt, ne, or, sql } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { couponAssignments, redemptions } from "@/db/schema";
import type { Actor } from "@/lib/auth/actor";
import { AppError } from "@/lib/errors";
import type { RequestMeta } from "@/lib/request-meta";
import type { Cart } from "@/lib/pricing/schemas";
import { isLockLive } from "./assignment-dto";
import { assignmentAudit, writeAudit, type AuditActor } from "./audit";
import type { CouponTarget } from "./coupon-target";
import { priceUse } from "./price-use";
import { countAppliedUse } from "./usage";

/*
 * The ledger transitions shared by the two API surfaces (DESIGN §4): public lock ≡ internal redeem
 * (reserve), public redeem ≡ internal apply (consume), public unlock ≡ internal release. Each takes a
 * target whose assignment row the caller's transaction has locked, and writes its audit row.
 */

export type Redemption = typeof redemptions.$inferSelect;
type Quote = Awaited<ReturnType<typeof priceUse>>;

/** The quote's figures as ledger columns (the discount terms travel inside the stored tower). */
const quotedColumns = (quote: Quote, currency: string) => ({
  discountAmount: quote?.discountAmount ?? 0,
  orderSubtotal: quote?.tower.subtotal ?? null,
  orderTotal: quote?.tower.total ?? null,
  currency: quote?.tower.currency ?? currency,
  priceTower: quote?.tower ?? null,
});

/**
 * A checkout holds at most one coupon per seller (DESIGN §3): a live reservation or a consumption
 * of another of the business's coupons in this checkout refuses this one (NOT_APPLICABLE, STACKING).
 * The (business, checkout) lock makes two different codes raced into one checkout see each other.
 */
async function assertOneCouponPerSeller(tx: Tx, businessId: string, checkoutId: string, assignmentId: string) {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext('checkout'), hashtext(${businessId} || ':' || ${checkoutId}))`);
  const [other] = await tx
    .select({ id: redemptions.id })
    .from(redemptions)
    .where(
      and(
        eq(redemptions.checkoutId, checkoutId),
        eq(redemptions.businessId, businessId),
        ne(redemptions.assignmentId, assignmentId),
        or(eq(redemptions.status, "PR_APPLIED"), and(eq(redemptions.status, "PR_RESERVED"), gt(redemptions.expiresAt, sql`now()`))),
      ),
    )
    .limit(1);
  if (other) {
    throw new AppError("COUPON_NOT_APPLICABLE", "This checkout already holds a coupon of this seller", { reason: "STACKING", checkoutId });
  }
}

/**
 * Locks the assignment for `checkoutId` until now + the book's lock TTL and writes its PR_RESERVED
 * row with the quoted discount, after the campaign caps found room for it. The assignment must not
 * hold a live lock (the caller decides what a live lock means for it).
 */
export async function reserveAssignment(tx: Tx, actor: Actor, meta: RequestMeta, target: CouponTarget, input: { checkoutId: string; cart?: Cart }) {
  const { assignment, book } = target;
  const [previous] = await tx
    .select({ status: redemptions.status })
    .from(redemptions)
    .where(and(eq(redemptions.assignmentId, assignment.id), eq(redemptions.checkoutId, input.checkoutId)));
  if (previous?.status === "PR_APPLIED" || previous?.status === "PR_REVOKED") {
    throw new AppError("CHECKOUT_ALREADY_REDEEMED", "This checkout already redeemed this coupon", { checkoutId: input.checkoutId });
  }
  await assertOneCouponPerSeller(tx, book.businessId, input.checkoutId, assignment.id);
  const quote = await priceUse(tx, book, input.cart);

  const [locked] = await tx
    .update(couponAssignments)
    .set({
      status: "LOCKED",
      lockedAt: sql`now()`,
      lockedUntil: sql`now() + make_interval(secs => ${book.lockTtlSeconds})`,
      lockCheckoutId: input.checkoutId,
    })
    .where(eq(couponAssignments.id, assignment.id))
    .returning();
  const reservation = {
    status: "PR_RESERVED" as const,
    reservedAt: locked!.lockedAt,
    expiresAt: locked!.lockedUntil,
    orderId: null,
    appliedAt: null,
    redeemNumber: null,
    maxRedeems: null,
    reason: null,
    ...quotedColumns(quote, book.currency),
  };
  const [row] = await tx
    .insert(redemptions)
    .values({ businessId: book.businessId, assignmentId: assignment.id, bookId: book.id, userId: assignment.userId, checkoutId: input.checkoutId, ...reservation })
    .onConflictDoUpdate({ target: [redemptions.assignmentId, redemptions.checkoutId], set: reservation })
    .returning();
  await writeAudit(tx, actor, meta, {
    ...assignmentAudit(target),
    action: "LOCK",
    previousStatus: "ASSIGNED",
    newStatus: "LOCKED",
    redeemCount: assignment.redeemCount,
    checkoutId: input.checkoutId,
    details: { lockedUntil: locked!.lockedUntil!.toISOString(), discountAmount: reservation.discountAmount },
  });
  return { assignment: locked!, reservation: row! };
}

/**
 * Consumes one use: the live lock's reservation becomes PR_APPLIED (its quote stands), or, with no
 * live lock, a PR_APPLIED row is written straight away after the caps found room. The final use
 * leaves the assignment REDEEMED, earlier ones ASSIGNED. The caller has checked uses left.
 */
export async function consumeAssignment(
  tx: Tx,
  actor: Actor,
  meta: RequestMeta,
  target: CouponTarget,
  input: { checkoutId?: string; orderId?: string; cart?: Cart },
): Promise<Redemption> {
  const { assignment, book } = target;
  const live = isLockLive(assignment, target.now);
  if (!live && input.checkoutId) await assertOneCouponPerSeller(tx, book.businessId, input.checkoutId, assignment.id);
  const quote = live ? null : await priceUse(tx, book, input.cart);

  const redeemNumber = assignment.redeemCount + 1;
  const isFinalRedeem = redeemNumber >= book.maxRedeemsPerUser;
  const consumption = {
    status: "PR_APPLIED" as const,
    orderId: input.orderId ?? null,
    appliedAt: sql`now()`,
    redeemNumber,
    maxRedeems: book.maxRedeemsPerUser,
    reason: null,
    ...(live ? {} : quotedColumns(quote, book.currency)),
  };
  const checkoutId = live ? assignment.lockCheckoutId! : (input.checkoutId ?? `direct:${randomUUID()}`);
  const [applied] = await tx
    .insert(redemptions)
    .values({ businessId: book.businessId, assignmentId: assignment.id, bookId: book.id, userId: assignment.userId, checkoutId, reservedAt: sql`now()`, currency: book.currency, ...consumption })
    .onConflictDoUpdate({ target: [redemptions.assignmentId, redemptions.checkoutId], set: consumption })
    .returning();

  const [updated] = await tx
    .update(couponAssignments)
    .set({
      status: isFinalRedeem ? "REDEEMED" : "ASSIGNED",
      redeemCount: redeemNumber,
      lockedAt: null,
      lockedUntil: null,
      lockCheckoutId: null,
      redeemedAt: isFinalRedeem ? sql`now()` : assignment.redeemedAt,
    })
    // The row is locked; the count guard makes a lost update impossible even if that ever changed.
    .where(and(eq(couponAssignments.id, assignment.id), eq(couponAssignments.redeemCount, assignment.redeemCount)))
    .returning({ id: couponAssignments.id });
  if (!updated) throw new AppError("CONFLICT", "The coupon changed during the redemption; retry");
  await countAppliedUse(tx, book.id, { uses: 1, discount: applied!.discountAmount });

  await writeAudit(tx, actor, meta, {
    ...assignmentAudit(target),
    action: "REDEEM",
    previousStatus: live ? "LOCKED" : "ASSIGNED",
    newStatus: isFinalRedeem ? "REDEEMED" : "ASSIGNED",
    redeemCount: redeemNumber,
    isFinalRedeem,
    checkoutId,
    orderId: input.orderId ?? null,
    details: { discountAmount: applied!.discountAmount },
  });
  return applied!;
}

/**
 * Ends the assignment's lock without consuming it: the assignment back to ASSIGNED and the lock's
 * reservation to `ending.status`, audited. Shared by release (a live lock) and expiry (a lapsed one).
 */
async function endLock(
  tx: Tx,
  actor: AuditActor,
  meta: RequestMeta,
  target: CouponTarget,
  ending: { status: "PR_RELEASED" | "PR_EXPIRED"; reason: string; action: "UNLOCK" | "EXPIRE" },
) {
  const { assignment } = target;
  const [updated] = await tx
    .update(couponAssignments)
    .set({ status: "ASSIGNED", lockedAt: null, lockedUntil: null, lockCheckoutId: null })
    .where(eq(couponAssignments.id, assignment.id))
    .returning();
  if (assignment.lockCheckoutId) {
    await tx
      .update(redemptions)
      .set({ status: ending.status, reason: ending.reason })
      .where(
        and(
          eq(redemptions.assignmentId, assignment.id),
          eq(redemptions.checkoutId, assignment.lockCheckoutId),
          eq(redemptions.status, "PR_RESERVED"),
        ),
      );
  }
  await writeAudit(tx, actor, meta, {
    ...assignmentAudit(target),
    action: ending.action,
    previousStatus: "LOCKED",
    newStatus: "ASSIGNED",
    redeemCount: assignment.redeemCount,
    checkoutId: assignment.lockCheckoutId,
  });
  return updated!;
}

/** Frees a live lock: the assignment back to ASSIGNED, its reservation PR_RELEASED. */
export async function releaseAssignment(tx: Tx, actor: Actor, meta: RequestMeta, target: CouponTarget, reason: string) {
  await endLock(tx, actor, meta, target, { status: "PR_RELEASED", reason, action: "UNLOCK" });
}

/**
 * Tidies a lock whose TTL passed: the assignment goes back to ASSIGNED and its reservation to
 * PR_EXPIRED, audited. Correctness never waits for this (reads already treat the lock as gone).
 * Returns the assignment as it is now.
 */
export async function expireStaleLock(tx: Tx, actor: AuditActor, meta: RequestMeta, target: CouponTarget) {
  const { assignment } = target;
  if (assignment.status !== "LOCKED" || isLockLive(assignment, target.now)) return assignment;
  return endLock(tx, actor, meta, target, { status: "PR_EXPIRED", reason: "lock TTL passed", action: "EXPIRE" });
}
