import type { Tx } from "@/db/client";
import type { Actor } from "@/lib/auth/actor";
import { AppError } from "@/lib/errors";
import type { RequestMeta } from "@/lib/request-meta";
import { isLockLive } from "./assignment-dto";
import { assertBookUsable } from "./book-usability";
import type { CouponTarget } from "./coupon-target";
import { expireStaleLock } from "./reservations";

type Assignment = CouponTarget["assignment"];

/** The one answer to a live lock of someone else's checkout (lock, unlock, redeem, internal redeem). */
function lockedByAnotherCheckout(assignment: Pick<Assignment, "lockedUntil">) {
  return new AppError("COUPON_LOCKED", "This coupon is locked by another checkout", { lockedUntil: assignment.lockedUntil!.toISOString() });
}

/**
 * Whether `checkoutId` may use an assignment's live lock: the lock's own checkout, or a caller that
 * names no checkout (seed 003's lock and redeem work without one).
 */
const holdsLock = (assignment: Assignment, checkoutId: string | undefined) => checkoutId === undefined || checkoutId === assignment.lockCheckoutId;

/**
 * "Can this coupon be used now" for lock, redeem and the checkout reserve, on a target whose
 * assignment row the caller's transaction has locked (the serialization point, DESIGN §5), in this
 * order: the book is usable → the code is not DISABLED → no live lock of another checkout
 * (COUPON_LOCKED) → a lapsed lock is ended (PR_EXPIRED) → a use is left (COUPON_ALREADY_REDEEMED).
 * Returns the assignment as it is now, and whether it holds a live lock of the caller's checkout:
 * what that means (replay it, consume it) is the caller's call.
 */
export async function usableAssignment(
  tx: Tx,
  actor: Actor,
  meta: RequestMeta,
  target: CouponTarget,
  checkoutId: string | undefined,
): Promise<{ assignment: Assignment; ownLiveLock: boolean }> {
  assertBookUsable(target.book, target.now);
  if (target.code.status === "DISABLED") throw new AppError("COUPON_DISABLED", "This coupon is disabled");
  const live = isLockLive(target.assignment, target.now);
  if (live && !holdsLock(target.assignment, checkoutId)) throw lockedByAnotherCheckout(target.assignment);
  const assignment = await expireStaleLock(tx, actor, meta, target);
  if (assignment.redeemCount >= target.book.maxRedeemsPerUser) {
    throw new AppError("COUPON_ALREADY_REDEEMED", "This coupon has reached its maximum redemption limit", { status: "REDEEMED" });
  }
  return { assignment, ownLiveLock: live };
}

/** Unlock's own check: only the lock's checkout (or a caller naming none) may release a live lock. */
export function assertLockHeldBy(assignment: Assignment, checkoutId: string | undefined) {
  if (!holdsLock(assignment, checkoutId)) throw lockedByAnotherCheckout(assignment);
}
