import { randomUUID } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { couponAssignments, redemptions } from "@/db/schema";
import type { Actor } from "@/lib/auth/actor";
import { AppError } from "@/lib/http/errors";
import type { RequestMeta } from "@/lib/http/request-meta";
import { actingUserId } from "./acting-user";
import { isLockLive } from "./assignment-dto";
import { writeAudit } from "./audit";
import { assertBookUsable } from "./book-usability";
import { assertCampaignHasRoom } from "./caps";
import { expireStaleLock, findCouponTarget } from "./coupon-target";
import type { CouponActionInput } from "./schemas";

const lockView = (code: string, a: { lockedAt: Date | null; lockedUntil: Date | null; lockCheckoutId: string | null }) => ({
  code,
  status: "LOCKED" as const,
  lockedAt: a.lockedAt!.toISOString(),
  lockedUntil: a.lockedUntil!.toISOString(),
  checkoutId: a.lockCheckoutId,
});

/**
 * Reserves a coupon for a checkout for the book's lock TTL (public lock ≡ internal reserve,
 * PR_RESERVED). Locking again for the same checkout returns the existing lock unchanged.
 */
export async function lockCoupon(db: Db, actor: Actor, code: string, input: CouponActionInput, meta: RequestMeta) {
  const userId = actingUserId(actor, input.userId);
  return db.transaction(async (tx) => {
    const target = await findCouponTarget(tx, actor, { code, userId, businessId: input.businessId }, meta);
    const { book } = target;
    if (isLockLive(target.assignment, target.now)) {
      const held = target.assignment;
      if (input.checkoutId === undefined || input.checkoutId === held.lockCheckoutId) return lockView(target.code.code, held);
      throw new AppError("COUPON_LOCKED", "This coupon is locked by another checkout", { lockedUntil: held.lockedUntil!.toISOString() });
    }
    assertBookUsable(book, target.now);
    if (target.code.status === "DISABLED") throw new AppError("COUPON_DISABLED", "This coupon is disabled");
    const assignment = await expireStaleLock(tx, actor, meta, target);
    if (assignment.redeemCount >= book.maxRedeemsPerUser) {
      throw new AppError("COUPON_ALREADY_REDEEMED", "This coupon has reached its maximum redemption limit", { status: "REDEEMED" });
    }

    const checkoutId = input.checkoutId ?? randomUUID();
    const [previous] = await tx
      .select({ status: redemptions.status })
      .from(redemptions)
      .where(and(eq(redemptions.assignmentId, assignment.id), eq(redemptions.checkoutId, checkoutId)));
    if (previous?.status === "PR_APPLIED" || previous?.status === "PR_REVOKED") {
      throw new AppError("CHECKOUT_ALREADY_REDEEMED", "This checkout already redeemed this coupon", { checkoutId });
    }
    await assertCampaignHasRoom(tx, book);

    const [locked] = await tx
      .update(couponAssignments)
      .set({
        status: "LOCKED",
        lockedAt: sql`now()`,
        lockedUntil: sql`now() + make_interval(secs => ${book.lockTtlSeconds})`,
        lockCheckoutId: checkoutId,
      })
      .where(eq(couponAssignments.id, assignment.id))
      .returning();
    const reservation = {
      status: "PR_RESERVED" as const,
      reservedAt: locked!.lockedAt,
      expiresAt: locked!.lockedUntil,
      orderId: null,
      appliedAt: null,
      reason: null,
    };
    await tx
      .insert(redemptions)
      .values({
        businessId: book.businessId,
        assignmentId: assignment.id,
        bookId: book.id,
        userId,
        checkoutId,
        currency: book.currency,
        ...reservation,
      })
      .onConflictDoUpdate({ target: [redemptions.assignmentId, redemptions.checkoutId], set: reservation });
    await writeAudit(tx, actor, meta, {
      businessId: book.businessId,
      bookId: book.id,
      codeId: assignment.codeId,
      assignmentId: assignment.id,
      userId,
      action: "LOCK",
      previousStatus: "ASSIGNED",
      newStatus: "LOCKED",
      redeemCount: assignment.redeemCount,
      maxRedeems: book.maxRedeemsPerUser,
      checkoutId,
      details: { lockedUntil: locked!.lockedUntil!.toISOString() },
    });
    return lockView(target.code.code, locked!);
  });
}
