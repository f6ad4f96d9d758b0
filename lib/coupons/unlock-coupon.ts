import { z } from "zod";
import type { Db } from "@/db/client";
import type { Actor } from "@/lib/auth/actor";
import { AppError } from "@/lib/errors";
import type { RequestMeta } from "@/lib/request-meta";
import { actingUserId } from "./acting-user";
import { isLockLive } from "./assignment-dto";
import { findCouponTarget } from "./coupon-target";
import { assertLockHeldBy } from "./coupon-usability";
import { releaseAssignment } from "./reservations";
import type { CouponActionInput } from "./schemas";

/** Seed 003's unlock answer: the coupon is the user's to lock or redeem again. */
export const CouponUnlockDto = z
  .strictObject({
    code: z.string(),
    status: z.literal("ASSIGNED"),
  })
  .meta({ id: "CouponUnlock" });
export type CouponUnlockDto = z.infer<typeof CouponUnlockDto>;

/** Releases a live lock (public unlock ≡ internal release, PR_RELEASED). Works whatever the book's status. */
export async function unlockCoupon(db: Db, actor: Actor, code: string, input: CouponActionInput, meta: RequestMeta): Promise<CouponUnlockDto> {
  const userId = actingUserId(actor, input.userId);
  return db.transaction(async (tx) => {
    const target = await findCouponTarget(tx, actor, { code, userId, businessId: input.businessId }, meta);
    const { assignment } = target;
    if (!isLockLive(assignment, target.now)) throw new AppError("COUPON_NOT_LOCKED", "This coupon is not locked");
    assertLockHeldBy(assignment, input.checkoutId);
    await releaseAssignment(tx, actor, meta, target, "unlocked");
    return { code: target.code.code, status: "ASSIGNED" };
  });
}
