import { and, eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { couponAssignments, redemptions } from "@/db/schema";
import type { Actor } from "@/lib/auth/actor";
import { AppError } from "@/lib/http/errors";
import type { RequestMeta } from "@/lib/http/request-meta";
import { actingUserId } from "./acting-user";
import { isLockLive } from "./assignment-dto";
import { writeAudit } from "./audit";
import { findCouponTarget } from "./coupon-target";
import type { CouponActionInput } from "./schemas";

/** Releases a live lock (public unlock ≡ internal release, PR_RELEASED). Works whatever the book's status. */
export async function unlockCoupon(db: Db, actor: Actor, code: string, input: CouponActionInput, meta: RequestMeta) {
  const userId = actingUserId(actor, input.userId);
  return db.transaction(async (tx) => {
    const target = await findCouponTarget(tx, actor, { code, userId, businessId: input.businessId }, meta);
    const { assignment, book } = target;
    if (!isLockLive(assignment, target.now)) throw new AppError("COUPON_NOT_LOCKED", "This coupon is not locked");
    if (input.checkoutId !== undefined && input.checkoutId !== assignment.lockCheckoutId) {
      throw new AppError("COUPON_LOCKED", "This coupon is locked by another checkout", { lockedUntil: assignment.lockedUntil!.toISOString() });
    }
    await tx
      .update(couponAssignments)
      .set({ status: "ASSIGNED", lockedAt: null, lockedUntil: null, lockCheckoutId: null })
      .where(eq(couponAssignments.id, assignment.id));
    await tx
      .update(redemptions)
      .set({ status: "PR_RELEASED", reason: "unlocked" })
      .where(
        and(
          eq(redemptions.assignmentId, assignment.id),
          eq(redemptions.checkoutId, assignment.lockCheckoutId!),
          eq(redemptions.status, "PR_RESERVED"),
        ),
      );
    await writeAudit(tx, actor, meta, {
      businessId: book.businessId,
      bookId: book.id,
      codeId: assignment.codeId,
      assignmentId: assignment.id,
      userId,
      action: "UNLOCK",
      previousStatus: "LOCKED",
      newStatus: "ASSIGNED",
      redeemCount: assignment.redeemCount,
      maxRedeems: book.maxRedeemsPerUser,
      checkoutId: assignment.lockCheckoutId,
    });
    return { code: target.code.code, status: "ASSIGNED" as const };
  });
}
