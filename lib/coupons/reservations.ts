import { randomUUID } from "node:crypto";
import { and, eq, gt, ne, or, sql } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { renderedOnce, type Bound } from "@/db/rendered-once";
import { couponAssignments, redemptions } from "@/db/schema";
import type { Actor } from "@/lib/auth/actor";
import { AppError } from "@/lib/errors";
import type { RequestMeta } from "@/lib/request-meta";
import type { Cart } from "@/lib/pricing/schemas";
import { isLockLive } from "./assignment-dto";
import { assignmentAudit, writeAudit, type AuditActor } from "./audit";
import type { CouponTarget } from "./coupon-target";
import { priceUse } from "./price-use";
import { isCappedBook } from "./caps";
import { countAppliedUse, holdCapCounter } from "./usage";

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
 * quotedColumns as values of a statement rendered once (db/rendered-once.ts): the tower as its JSON
 * text or null (bound as SQL, not through the jsonb column's encoder, which would turn a bound null into 'null').
 */
const quotedValues = (quote: Quote, currency: string) => {
  const quoted = quotedColumns(quote, currency);
  return { ...quoted, priceTower: quoted.priceTower === null ? null : JSON.stringify(quoted.priceTower) };
};

/** The quoted columns of a rendered-once statement, from its bound values. */
const quotedBound = <V extends Record<"discountAmount" | "orderSubtotal" | "orderTotal" | "currency" | "priceTower", unknown>>(v: V) => ({
  discountAmount: sql`${v.discountAmount}`,
  orderSubtotal: sql`${v.orderSubtotal}`,
  orderTotal: sql`${v.orderTotal}`,
  currency: sql`${v.currency}`,
  priceTower: sql`${v.priceTower}`,
});

/** Serializes the one-coupon-per-seller check of one checkout: two codes raced into it see each other. */
const lockSellerCheckout = (tx: Tx, businessId: string, checkoutId: string) =>
  tx.execute(sql`select pg_advisory_xact_lock(hashtext('checkout'), hashtext(${businessId} || ':' || ${checkoutId}))`);

/**
 * Whether the checkout holds a live reservation or a consumption of another of the business's
 * coupons. Read only in a statement after lockSellerCheckout's: its snapshot then sees what a
 * checkout that held the lock before committed. It never reads this assignment's own rows, so it
 * may travel with this assignment's writes.
 */
async function holdsOtherSellerCoupon(tx: Tx, businessId: string, checkoutId: string, assignmentId: string) {
  const [other] = await renderedOnce(tx, "holdsOtherSellerCoupon", { checkoutId, businessId, assignmentId }, (v) =>
    tx
      .select({ id: redemptions.id })
      .from(redemptions)
      .where(
        and(
          eq(redemptions.checkoutId, v.checkoutId),
          eq(redemptions.businessId, v.businessId),
          ne(redemptions.assignmentId, v.assignmentId),
          or(eq(redemptions.status, "PR_APPLIED"), and(eq(redemptions.status, "PR_RESERVED"), gt(redemptions.expiresAt, sql`now()`))),
        ),
      )
      .limit(1),
  );
  return Boolean(other);
}

const stacking = (checkoutId: string) =>
  new AppError("COUPON_NOT_APPLICABLE", "This checkout already holds a coupon of this seller", { reason: "STACKING", checkoutId });

/**
 * A checkout holds at most one coupon per seller (DESIGN §3): a live reservation or a consumption
 * of another of the business's coupons in this checkout refuses this one (NOT_APPLICABLE, STACKING).
 */
async function assertOneCouponPerSeller(tx: Tx, businessId: string, checkoutId: string, assignmentId: string) {
  await lockSellerCheckout(tx, businessId, checkoutId);
  if (await holdsOtherSellerCoupon(tx, businessId, checkoutId, assignmentId)) throw stacking(checkoutId);
}

/**
 * Writes that travel with a transition's own (the accepted attempt row): issued together, so
 * postgres.js pipelines them into the same round trip. They must not depend on the transition's
 * writes, nor these on them.
 */
export type Alongside = (target: CouponTarget) => Promise<unknown>;

/**
 * Locks the assignment for `checkoutId` until now + the book's lock TTL and writes its PR_RESERVED
 * row with the quoted discount, after the campaign caps found room for it. The assignment must not
 * hold a live lock (the caller decides what a live lock means for it).
 *
 * Round trips: the previous use of this checkout is read with the checkout's lock taken; then, for
 * a book without caps (whose quote needs no query), the stacking check goes out with the writes and
 * `alongside`, and refuses after them (the transaction then rolls them back). A capped book checks
 * stacking first, then claims its room, then writes: its cap lock and counts must precede the quote.
 */
export async function reserveAssignment(
  tx: Tx,
  actor: Actor,
  meta: RequestMeta,
  target: CouponTarget,
  input: { checkoutId: string; cart?: Cart; alongside?: Alongside },
) {
  const { assignment, book } = target;
  const [[previous]] = await Promise.all([
    renderedOnce(tx, "reserveAssignment:previous", { assignmentId: assignment.id, checkoutId: input.checkoutId }, (v) =>
      tx
        .select({ status: redemptions.status })
        .from(redemptions)
        .where(and(eq(redemptions.assignmentId, v.assignmentId), eq(redemptions.checkoutId, v.checkoutId))),
    ),
    lockSellerCheckout(tx, book.businessId, input.checkoutId),
  ]);
  if (previous?.status === "PR_APPLIED" || previous?.status === "PR_REVOKED") {
    throw new AppError("CHECKOUT_ALREADY_REDEEMED", "This checkout already redeemed this coupon", { checkoutId: input.checkoutId });
  }
  const stackedCheck = () => holdsOtherSellerCoupon(tx, book.businessId, input.checkoutId, assignment.id);
  let quote: Quote;
  let stackingChecked = false;
  if (isCappedBook(book)) {
    if (await stackedCheck()) throw stacking(input.checkoutId);
    stackingChecked = true;
    quote = await priceUse(tx, book, input.cart);
  } else {
    try {
      quote = await priceUse(tx, book, input.cart);
    } catch (error) {
      // Stacking is the first refusal, as for a capped book.
      if (await stackedCheck()) throw stacking(input.checkoutId);
      throw error;
    }
  }

  const quoted = quotedValues(quote, book.currency);
  const values = {
    assignmentId: assignment.id,
    businessId: book.businessId,
    bookId: book.id,
    userId: assignment.userId,
    checkoutId: input.checkoutId,
    ttl: book.lockTtlSeconds,
    ...quoted,
  };
  // target.now is now() as read by this transaction, so this is locked_until as the update stores it (to the millisecond).
  const lockedUntil = new Date(target.now.getTime() + book.lockTtlSeconds * 1000);
  const [stacked, [locked], [row]] = await Promise.all([
    stackingChecked ? false : stackedCheck(),
    renderedOnce(tx, "reserveAssignment:lock", { assignmentId: assignment.id, ttl: book.lockTtlSeconds, checkoutId: input.checkoutId }, (v) =>
      tx
        .update(couponAssignments)
        .set({ status: "LOCKED", lockedAt: sql`now()`, lockedUntil: sql`now() + make_interval(secs => ${v.ttl})`, lockCheckoutId: sql`${v.checkoutId}` })
        .where(eq(couponAssignments.id, v.assignmentId))
        .returning(),
    ),
    renderedOnce(tx, "reserveAssignment:reservation", values, (v) => {
      const reservation = {
        status: "PR_RESERVED" as const,
        // The lock's own instants: now() is the transaction's time in every statement.
        reservedAt: sql`now()`,
        expiresAt: sql`now() + make_interval(secs => ${v.ttl})`,
        orderId: null,
        appliedAt: null,
        redeemNumber: null,
        maxRedeems: null,
        reason: null,
        ...quotedBound(v),
      };
      return tx
        .insert(redemptions)
        .values({ businessId: v.businessId, assignmentId: v.assignmentId, bookId: v.bookId, userId: v.userId, checkoutId: v.checkoutId, ...reservation })
        .onConflictDoUpdate({ target: [redemptions.assignmentId, redemptions.checkoutId], set: reservation })
        .returning();
    }),
    writeAudit(tx, actor, meta, {
      ...assignmentAudit(target),
      action: "LOCK",
      previousStatus: "ASSIGNED",
      newStatus: "LOCKED",
      redeemCount: assignment.redeemCount,
      checkoutId: input.checkoutId,
      details: { lockedUntil: lockedUntil.toISOString(), discountAmount: quoted.discountAmount },
    }),
    input.alongside?.(target),
  ]);
  if (stacked) throw stacking(input.checkoutId);
  return { assignment: locked!, reservation: row! };
}

/**
 * Consumes one use: the live lock's reservation becomes PR_APPLIED (its quote stands), or, with no
 * live lock, a PR_APPLIED row is written straight away after the caps found room. The final use
 * leaves the assignment REDEEMED, earlier ones ASSIGNED. The caller has checked uses left.
 *
 * Round trips: the ledger row, the assignment, the book's counter, the audit row and `alongside`
 * go out together, so everything they write is decided here: the discount is the live lock's
 * reservation's (`held`, the caller's read of the row for the lock's checkout, or read here) or the
 * new quote's. `capCounterHeld`: the caller already holds the counter's shared lock (holdCapCounter).
 */
export async function consumeAssignment(
  tx: Tx,
  actor: Actor,
  meta: RequestMeta,
  target: CouponTarget,
  input: { checkoutId?: string; orderId?: string; cart?: Cart; held?: Redemption | null; capCounterHeld?: boolean; alongside?: Alongside },
): Promise<Redemption> {
  const { assignment, book } = target;
  const live = isLockLive(assignment, target.now);
  if (!live && input.checkoutId) await assertOneCouponPerSeller(tx, book.businessId, input.checkoutId, assignment.id);
  const quote = live ? null : await priceUse(tx, book, input.cart);

  const redeemNumber = assignment.redeemCount + 1;
  const isFinalRedeem = redeemNumber >= book.maxRedeemsPerUser;
  const checkoutId = live ? assignment.lockCheckoutId! : (input.checkoutId ?? `direct:${randomUUID()}`);
  const held = live ? (input.held !== undefined ? input.held : await ledgerRow(tx, assignment.id, checkoutId)) : null;
  // What the upsert leaves in discount_amount: a live lock's row keeps its own (0 if it had none, as a fresh row gets).
  const discountAmount = live ? (held?.discountAmount ?? 0) : quotedColumns(quote, book.currency).discountAmount;
  if (!input.capCounterHeld) await holdCapCounter(tx, book.id);

  // A live lock's row keeps its quote: the upsert's shape names which columns it writes.
  const applyValues = {
    businessId: book.businessId,
    assignmentId: assignment.id,
    bookId: book.id,
    userId: assignment.userId,
    checkoutId,
    bookCurrency: book.currency,
    orderId: input.orderId ?? null,
    redeemNumber,
    maxRedeems: book.maxRedeemsPerUser,
    ...(live ? {} : quotedValues(quote, book.currency)),
  };
  const [[applied], [updated]] = await Promise.all([
    renderedOnce(tx, `consumeAssignment:apply:${live ? "live" : "quoted"}`, applyValues, (v) => {
      const consumption = {
        status: "PR_APPLIED" as const,
        orderId: sql`${v.orderId}`,
        appliedAt: sql`now()`,
        redeemNumber: sql`${v.redeemNumber}`,
        maxRedeems: sql`${v.maxRedeems}`,
        reason: null,
        ...(live ? {} : quotedBound(v as Bound<typeof applyValues & ReturnType<typeof quotedValues>>)),
      };
      return tx
        .insert(redemptions)
        .values({
          businessId: v.businessId,
          assignmentId: v.assignmentId,
          bookId: v.bookId,
          userId: v.userId,
          checkoutId: v.checkoutId,
          reservedAt: sql`now()`,
          currency: sql`${v.bookCurrency}`,
          ...consumption,
        })
        .onConflictDoUpdate({ target: [redemptions.assignmentId, redemptions.checkoutId], set: consumption })
        .returning();
    }),
    renderedOnce(
      tx,
      `consumeAssignment:assignment:${isFinalRedeem ? "final" : "more"}`,
      // The timestamp as its ISO text, as the column's encoder writes it.
      { assignmentId: assignment.id, redeemCount: assignment.redeemCount, redeemNumber, redeemedAt: assignment.redeemedAt?.toISOString() ?? null },
      (v) =>
        tx
          .update(couponAssignments)
          .set({
            status: isFinalRedeem ? "REDEEMED" : "ASSIGNED",
            redeemCount: sql`${v.redeemNumber}`,
            lockedAt: null,
            lockedUntil: null,
            lockCheckoutId: null,
            redeemedAt: isFinalRedeem ? sql`now()` : sql`${v.redeemedAt}`,
          })
          // The row is locked; the count guard makes a lost update impossible even if that ever changed.
          .where(and(eq(couponAssignments.id, v.assignmentId), eq(couponAssignments.redeemCount, v.redeemCount)))
          .returning({ id: couponAssignments.id }),
    ),
    countAppliedUse(tx, book.id, { uses: 1, discount: discountAmount }, { counterHeld: true }),
    writeAudit(tx, actor, meta, {
      ...assignmentAudit(target),
      action: "REDEEM",
      previousStatus: live ? "LOCKED" : "ASSIGNED",
      newStatus: isFinalRedeem ? "REDEEMED" : "ASSIGNED",
      redeemCount: redeemNumber,
      isFinalRedeem,
      checkoutId,
      orderId: input.orderId ?? null,
      details: { discountAmount },
    }),
    input.alongside?.(target),
  ]);
  // The counter and the audit row were written with the discount decided above: a row that says otherwise is a race to retry.
  if (!updated || applied!.discountAmount !== discountAmount) throw new AppError("CONFLICT", "The coupon changed during the redemption; retry");
  return applied!;
}

/** The ledger row of one assignment's checkout, if any. */
async function ledgerRow(tx: Tx, assignmentId: string, checkoutId: string) {
  const [row] = await renderedOnce(tx, "ledgerRow", { assignmentId, checkoutId }, (v) =>
    tx
      .select()
      .from(redemptions)
      .where(and(eq(redemptions.assignmentId, v.assignmentId), eq(redemptions.checkoutId, v.checkoutId))),
  );
  return row ?? null;
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
  // Three writes that do not depend on each other: one round trip.
  const [[updated]] = await Promise.all([
    renderedOnce(tx, "endLock:assignment", { assignmentId: assignment.id }, (v) =>
      tx
        .update(couponAssignments)
        .set({ status: "ASSIGNED", lockedAt: null, lockedUntil: null, lockCheckoutId: null })
        .where(eq(couponAssignments.id, v.assignmentId))
        .returning(),
    ),
    assignment.lockCheckoutId
      ? renderedOnce(tx, "endLock:reservation", { assignmentId: assignment.id, checkoutId: assignment.lockCheckoutId, status: ending.status, reason: ending.reason }, (v) =>
          tx
            .update(redemptions)
            .set({ status: sql`${v.status}`, reason: sql`${v.reason}` })
            .where(and(eq(redemptions.assignmentId, v.assignmentId), eq(redemptions.checkoutId, v.checkoutId), eq(redemptions.status, "PR_RESERVED"))),
        )
      : null,
    writeAudit(tx, actor, meta, {
      ...assignmentAudit(target),
      action: ending.action,
      previousStatus: "LOCKED",
      newStatus: "ASSIGNED",
      redeemCount: assignment.redeemCount,
      checkoutId: assignment.lockCheckoutId,
    }),
  ]);
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
