import { and, eq, sql } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { renderedOnce } from "@/db/rendered-once";
import { couponAssignments, couponBooks, couponCodes, redemptions } from "@/db/schema";
import type { Actor } from "@/lib/auth/actor";
import { assertBookUsable } from "@/lib/coupons/book-usability";
import { assignmentById, assignmentOfCodeUser, claimGenericCode, concurrentRequest, lockedAssignment, type CouponTarget } from "@/lib/coupons/coupon-target";
import { createAssignment, reserveUserSlot } from "@/lib/coupons/create-assignment";
import { usableAssignment } from "@/lib/coupons/coupon-usability";
import { reserveAssignment, type Alongside, type Redemption } from "@/lib/coupons/reservations";
import { AppError } from "@/lib/errors";
import type { AttemptTrace } from "@/lib/promo/attempt-transaction";
import { concealedCoupon } from "@/lib/promo/promo-results";
import type { RequestMeta } from "@/lib/request-meta";
import type { Cart } from "@/lib/pricing/schemas";

export interface CheckoutRequest {
  /** Normalized. */
  code: string;
  userId: string;
  checkoutId: string;
  cart: Cart;
  /** Where the code is looked up, in order: the cart's businesses, or the caller's own. */
  businessIds: string[];
  /** Whether an unassigned code of a UNIQUE book may be claimed by the caller on first use. */
  claimUnassigned: boolean;
  /**
   * Whether the caller owns the codes (a seller or API key quoting in its own business) and so may
   * learn why a code it does not hold is refused. Everyone else gets an unknown code's answer for
   * a UNIQUE code they hold no assignment of, whatever its book's state (no oracle, DESIGN §6).
   */
  revealCauses: boolean;
}

const notOwner = () => new AppError("COUPON_NOT_ASSIGNED_TO_USER", "This coupon is not assigned to this user");

/**
 * The coupon a checkout names, among `businessIds` (first match in their order), with the caller's
 * assignment row-locked. A GENERIC code gets the caller's assignment on first use; an AVAILABLE
 * code of a UNIQUE book is claimed (within maxCodesPerUser) when `claimUnassigned`; a code held
 * by someone else is not the caller's (the API answers it like an unknown one).
 *
 * No oracle (DESIGN §6): unless `revealCauses`, a UNIQUE code the caller holds no assignment of is
 * refused like an unknown code whatever its book's state (paused, archived, expired, not started):
 * only the holder of an assignment learns PAUSED or EXPIRED. A GENERIC code is public, so its
 * book's state is not a secret. The code, its book and the caller's assignment come from one
 * query, so an unknown code and someone else's code do the same work before they are refused.
 * Row locks are taken fail-fast (LockOptions.failFast): a caller that cannot win against a request
 * in flight on the same coupon is refused at once rather than queued behind it.
 */
async function findCheckoutTarget(tx: Tx, actor: Actor, meta: RequestMeta, request: CheckoutRequest, trace: AttemptTrace): Promise<CouponTarget> {
  if (request.code === "" || request.businessIds.length === 0) throw new AppError("COUPON_NOT_FOUND", "Coupon not found");
  // The checkout's own lock, taken by the first statement: a duplicate of a request in flight (the
  // same checkoutId: a double click, a retry) waits for it here and then replays its answer, while
  // other checkouts of a hot code are refused at once by the fail-fast row locks below.
  // Every redeem and quote sends it: rendered once (db/rendered-once.ts), the businesses as one array parameter.
  const lookup = { checkoutId: request.checkoutId, userId: request.userId, businessIds: request.businessIds, code: request.code };
  const matches = await renderedOnce(tx, "findCheckoutTarget:code", lookup, (v) =>
    tx
      .select({
        code: couponCodes,
        book: couponBooks,
        ownAssignmentId: couponAssignments.id,
        now: sql<string>`now()`,
        checkoutGuard: sql<string>`pg_advisory_xact_lock(hashtext('checkout-request'), hashtext(${v.checkoutId}))`,
      })
      .from(couponCodes)
      .innerJoin(couponBooks, eq(couponBooks.id, couponCodes.bookId))
      .leftJoin(couponAssignments, and(eq(couponAssignments.codeId, couponCodes.id), eq(couponAssignments.userId, v.userId)))
      .where(and(sql`${couponCodes.businessId} = any(${sql.param(v.businessIds)}::uuid[])`, eq(couponCodes.code, v.code))),
  );
  const found = request.businessIds.map((id) => matches.find((m) => m.code.businessId === id)).find(Boolean);
  if (!found) throw new AppError("COUPON_NOT_FOUND", "Coupon not found");
  trace.book = found.book;
  if (found.code.status === "DISABLED") throw new AppError("COUPON_DISABLED", "This coupon is disabled");

  if (found.ownAssignmentId) {
    const own = await lockedAssignment(tx, assignmentById(found.ownAssignmentId), { failFast: true });
    if (own) return own;
  }

  const assertUsable = () => assertBookUsable(found.book, new Date(found.now));
  if (found.book.codeKind === "GENERIC") {
    assertUsable();
    return claimGenericCode(tx, actor, meta, found, request.userId, { failFast: true });
  }
  if (request.revealCauses) assertUsable();
  if (!request.claimUnassigned || found.code.status !== "AVAILABLE") throw notOwner();
  try {
    assertUsable();
  } catch (error) {
    throw concealedCoupon(error);
  }
  // Lock the code, then re-read it: a parallel claim of the same code may have just committed. A
  // code row held by another transaction is a claim in flight, which only its holder can win:
  // answered at once (SKIP LOCKED), concealed like any code the caller does not hold (no oracle).
  const [current] = await tx
    .select({ status: couponCodes.status })
    .from(couponCodes)
    .where(eq(couponCodes.id, found.code.id))
    .for("update", { skipLocked: true });
  if (!current) throw concealedCoupon(concurrentRequest());
  if (current.status !== "AVAILABLE") {
    // Claimed since the first read: by this shopper's own request that held the checkout lock (its
    // assignment is then ours to replay), or by someone else.
    const own = await lockedAssignment(tx, assignmentOfCodeUser(found.code.id, request.userId), { failFast: true });
    if (own) return own;
    throw notOwner();
  }
  await reserveUserSlot(tx, found.book, request.userId);
  await createAssignment(tx, actor, meta, found.book, found.code, request.userId);
  const claimed = await lockedAssignment(tx, assignmentOfCodeUser(found.code.id, request.userId));
  return claimed!;
}

/**
 * The checkout pipeline of the internal redeem (and, rolled back, of validate): find and lock the
 * caller's coupon, check the book and the uses left, then reserve it for the checkout with the
 * cart's quote (seller-funded, capped by the campaign). The same checkout again gets its live
 * reservation back unchanged. Refusals are AppErrors that lib/promo/promo-results.ts turns into
 * results; they roll the transaction back, so a refused call changes nothing. `alongside` travels
 * with a new reservation's writes (reserveAssignment).
 */
export async function reserveForCheckout(
  tx: Tx,
  actor: Actor,
  meta: RequestMeta,
  request: CheckoutRequest,
  trace: AttemptTrace = {},
  options: { alongside?: Alongside } = {},
): Promise<{ target: CouponTarget; reservation: Redemption; replayed: boolean }> {
  const target = await findCheckoutTarget(tx, actor, meta, request, trace);
  const { assignment, ownLiveLock } = await usableAssignment(tx, actor, meta, target, request.checkoutId);
  if (ownLiveLock) {
    const [reservation] = await tx
      .select()
      .from(redemptions)
      .where(and(eq(redemptions.assignmentId, assignment.id), eq(redemptions.checkoutId, request.checkoutId)));
    return { target, reservation: reservation!, replayed: true };
  }
  const reserved = await reserveAssignment(tx, actor, meta, { ...target, assignment }, { checkoutId: request.checkoutId, cart: request.cart, alongside: options.alongside });
  return { target: { ...target, assignment: reserved.assignment }, reservation: reserved.reservation, replayed: false };
}
