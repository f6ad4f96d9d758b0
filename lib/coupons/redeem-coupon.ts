import { and, eq, inArray, or } from "drizzle-orm";
import { z } from "zod";
import type { Db, Tx } from "@/db/client";
import { renderedOnce } from "@/db/rendered-once";
import { redemptions } from "@/db/schema";
import type { Actor } from "@/lib/auth/actor";
import { AppError } from "@/lib/errors";
import type { RequestMeta } from "@/lib/request-meta";
import { wireDateTime, wireMoney } from "@/lib/wire";
import { acceptedOrThrow, attemptTransaction } from "@/lib/promo/attempt-transaction";
import { actingUserId } from "./acting-user";
import { couponAttemptCall } from "./coupon-attempt";
import { findCouponTarget, type CouponTarget } from "./coupon-target";
import { usableAssignment } from "./coupon-usability";
import { isLockLive } from "./assignment-dto";
import { consumeAssignment, type Redemption } from "./reservations";
import { holdCapCounter } from "./usage";
import type { CouponActionInput } from "./schemas";

/** Seed 003's redeem answer, with the order and checkout the use was recorded under and its discount. */
export const CouponRedemptionDto = z
  .strictObject({
    code: z.string(),
    status: z.enum(["ASSIGNED", "REDEEMED"]).describe("REDEEMED after the final use; ASSIGNED while uses are left (a multi-use code can be locked and redeemed again)"),
    redeemCount: z.number().int().min(1).describe("Uses consumed, this one included"),
    maxRedeems: z.number().int().min(1),
    isFinalRedeem: z.boolean().describe("This use was the last one (redeemCount reached maxRedeems)"),
    redeemedAt: wireDateTime.nullable().describe("When the final use was consumed; null while uses are left"),
    orderId: z.string().nullable().describe("The order sent with the redeem: the same orderId again answers this result without a second use"),
    checkoutId: z.string().describe("The consumed lock's checkout, the one sent, or a generated `direct:…` one"),
    discountAmount: wireMoney.describe("What this use took off its order: the lock's quoted discount, the cart's, or 0 when redeemed without a cart"),
  })
  .meta({ id: "CouponRedemption" });
export type CouponRedemptionDto = z.infer<typeof CouponRedemptionDto>;

function resultOf(code: string, row: Redemption): CouponRedemptionDto {
  const isFinalRedeem = row.redeemNumber! >= row.maxRedeems!;
  return {
    code,
    status: isFinalRedeem ? "REDEEMED" : "ASSIGNED",
    redeemCount: row.redeemNumber!,
    maxRedeems: row.maxRedeems!,
    isFinalRedeem,
    redeemedAt: isFinalRedeem ? row.appliedAt!.toISOString() : null,
    orderId: row.orderId,
    checkoutId: row.checkoutId,
    discountAmount: row.discountAmount,
  };
}

const isConsumed = (row: Redemption) => row.status === "PR_APPLIED" || row.status === "PR_REVOKED";

/**
 * The assignment's ledger rows this redeem needs, in one read under the row lock: a consumption
 * already recorded for this orderId (or this checkoutId), which a retry gets back instead of
 * consuming again (DESIGN §5.5; the same checkout with another order is a 409), and the live lock's
 * reservation (`held`, undefined without a live lock), whose discount the consumption keeps.
 */
async function ledgerOfRedeem(tx: Tx, target: CouponTarget, input: CouponActionInput) {
  const heldCheckoutId = isLockLive(target.assignment, target.now) ? target.assignment.lockCheckoutId : null;
  if (!input.orderId && !input.checkoutId && !heldCheckoutId) return { replay: null, held: undefined };
  // The shape: which of the order, the checkout and the held lock's checkout the read looks for.
  const byOrder = Boolean(input.orderId);
  const byCheckout = Boolean(input.checkoutId);
  const byHeld = Boolean(heldCheckoutId);
  const values = { assignmentId: target.assignment.id, orderId: input.orderId ?? "", checkoutId: input.checkoutId ?? "", heldCheckoutId: heldCheckoutId ?? "" };
  const shape = `ledgerOfRedeem:${byOrder ? "order" : "-"}:${byCheckout ? "checkout" : "-"}:${byHeld ? "held" : "-"}`;
  const rows = await renderedOnce(tx, shape, values, (v) => {
    const keys = [byOrder ? eq(redemptions.orderId, v.orderId) : undefined, byCheckout ? eq(redemptions.checkoutId, v.checkoutId) : undefined].filter(Boolean);
    return tx
      .select()
      .from(redemptions)
      .where(
        and(
          eq(redemptions.assignmentId, v.assignmentId),
          or(
            keys.length > 0 ? and(inArray(redemptions.status, ["PR_APPLIED", "PR_REVOKED"]), or(...keys)) : undefined,
            byHeld ? eq(redemptions.checkoutId, v.heldCheckoutId) : undefined,
          ),
        ),
      );
  });
  const held = heldCheckoutId ? (rows.find((r) => r.checkoutId === heldCheckoutId) ?? null) : undefined;
  const sameOrder = rows.find((r) => isConsumed(r) && input.orderId && r.orderId === input.orderId);
  if (sameOrder) return { replay: sameOrder, held };
  const sameCheckout = rows.find((r) => isConsumed(r) && input.checkoutId && r.checkoutId === input.checkoutId);
  if (!sameCheckout) return { replay: null, held };
  if (input.orderId && sameCheckout.orderId !== null) {
    throw new AppError("CHECKOUT_ALREADY_REDEEMED", "This checkout already redeemed this coupon for another order", {
      checkoutId: input.checkoutId,
    });
  }
  return { replay: sameCheckout, held };
}

/**
 * Consumes one use (seed 003 multi-redeem): from a live lock (consuming its reservation, which
 * only the lock's checkout may do) or straight from ASSIGNED. The final use leaves the assignment
 * REDEEMED, earlier ones ASSIGNED. Serialized by the assignment's row lock, so parallel redeems
 * can never consume more uses than max_redeems_per_user (DESIGN §5.1–2); a caller that finds the
 * row held with at most one use left answers 409 at once instead of queueing (LockOptions.failFast).
 * Every call that reaches
 * the code writes its promo_attempts row, refused ones too (attemptTransaction).
 */
export async function redeemCoupon(db: Db, actor: Actor, code: string, input: CouponActionInput, meta: RequestMeta): Promise<CouponRedemptionDto> {
  const userId = actingUserId(actor, input.userId);
  const call = await couponAttemptCall(db, actor, code, userId, input, meta);
  const outcome = await attemptTransaction(db, call, async (tx, trace, accept) => {
    const target = await findCouponTarget(tx, actor, { code, userId, businessId: input.businessId, attributeAmong: call.businessIds }, meta, trace, { failFast: true });
    // A live lock is consumed without a cap lock, so its counter's shared lock may travel with this read.
    const capCounterHeld = isLockLive(target.assignment, target.now);
    const [{ replay, held }] = await Promise.all([ledgerOfRedeem(tx, target, input), capCounterHeld ? holdCapCounter(tx, target.book.id) : null]);
    if (replay) return { value: resultOf(target.code.code, replay), book: target.book, reason: "SAME_ORDER" };

    // A live lock of this checkout (or of any, when the call names none) is consumed.
    const { assignment } = await usableAssignment(tx, actor, meta, target, input.checkoutId);
    const applied = await consumeAssignment(
      tx,
      actor,
      meta,
      { ...target, assignment },
      { checkoutId: input.checkoutId, orderId: input.orderId, cart: input.cart, held, capCounterHeld, alongside: () => accept(target.book, "REDEEMED") },
    );
    return { value: resultOf(target.code.code, applied), book: target.book, reason: "REDEEMED" };
  });
  return acceptedOrThrow(outcome);
}
