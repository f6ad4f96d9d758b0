import { eq, sql } from "drizzle-orm";
import type { Db, Tx } from "@/db/client";
import { renderedOnce } from "@/db/rendered-once";
import { purchases, redemptions } from "@/db/schema";
import { announceAlerts } from "@/lib/alerts/announce-alerts";
import { raiseAlert } from "@/lib/alerts/raise";
import type { Actor } from "@/lib/auth/actor";
import { isLockLive } from "@/lib/coupons/assignment-dto";
import { consumeAssignment, type Redemption } from "@/lib/coupons/reservations";
import { AppError, isAppError } from "@/lib/errors";
import { logger } from "@/lib/log";
import type { RequestMeta } from "@/lib/request-meta";
import { lockCheckout, purchasesOfOrder, purchaseView, redemptionView, type AppliedCheckout } from "./checkout-ledger";
import type { PromoApplyInput } from "./schemas";

const isConsumed = (row: Redemption) => row.status === "PR_APPLIED" || row.status === "PR_REVOKED";

/**
 * Records the order for each seller with a coupon in the checkout (status PAID), as the reservation
 * quoted it. An orderId another checkout already recorded is a conflict, not a silent overwrite.
 * Returns the purchases it created when it created one for every row (else null: some existed).
 */
async function recordPurchases(tx: Tx, checkoutId: string, orderId: string, applied: Redemption[]) {
  const created: (typeof purchases.$inferSelect)[] = [];
  for (const row of applied) {
    const values = {
      businessId: row.businessId,
      userId: row.userId,
      checkoutId,
      orderId,
      subtotal: row.orderSubtotal,
      discountAmount: row.discountAmount,
      total: row.orderTotal,
      currency: row.currency ?? "USD",
    };
    // Every apply sends it: rendered once (db/rendered-once.ts), bound per call.
    const [purchase] = await renderedOnce(tx, "recordPurchases:insert", values, (v) =>
      tx
        .insert(purchases)
        .values({ ...v, status: "PAID", paidAt: sql`now()` })
        .onConflictDoNothing()
        .returning(),
    );
    if (purchase) {
      created.push(purchase);
      continue;
    }
    const [existing] = await purchasesOfOrder(tx, orderId, [row.businessId]);
    if (existing && existing.checkoutId !== checkoutId) {
      throw new AppError("CONFLICT", "This orderId was already recorded for another checkout", { orderId });
    }
  }
  return created.length === applied.length ? created : null;
}

/**
 * POST /api/internal/promo/apply: the order was paid, so the checkout's reservations are consumed
 * (PR_RESERVED → PR_APPLIED) and the purchase recorded, all or nothing. The same orderId again
 * returns the first result and consumes nothing (DESIGN §5.5); another orderId for a consumed
 * checkout is a 409; a reservation that expired or was released first consumes nothing and says so.
 */
export async function applyCheckout(db: Db, actor: Actor, input: PromoApplyInput, meta: RequestMeta): Promise<AppliedCheckout> {
  try {
    return await applyInTransaction(db, actor, input, meta);
  } catch (error) {
    if (isAppError(error) && error.code === "RESERVATION_EXPIRED") await raiseRecoveryReview(db, input, String(error.context.reservationId));
    throw error;
  }
}

/**
 * The payment was taken but the discount is no longer held (DESIGN §8): someone must decide whether
 * to honour it. Raised after the apply's transaction rolled back, once per checkout and order.
 */
async function raiseRecoveryReview(db: Db, input: PromoApplyInput, reservationId: string) {
  try {
    const [reservation] = await db
      .select({ businessId: redemptions.businessId, bookId: redemptions.bookId, discountAmount: redemptions.discountAmount, expiresAt: redemptions.expiresAt, currency: redemptions.currency })
      .from(redemptions)
      .where(eq(redemptions.id, reservationId));
    const alertId = await raiseAlert(db, {
      event: "payments_recovery_review_required",
      dedupeKey: `payments_recovery_review_required:${input.checkoutId}:${input.orderId}`,
      summary: `Order ${input.orderId} was paid after its coupon reservation expired; the discount was not consumed`,
      businessId: reservation?.businessId ?? null,
      bookId: reservation?.bookId ?? null,
      details: {
        checkoutId: input.checkoutId,
        orderId: input.orderId,
        reservationId,
        discountAmount: reservation?.discountAmount ?? null,
        currency: reservation?.currency ?? null,
        expiredAt: reservation?.expiresAt?.toISOString() ?? null,
        runbook: "docs/runbooks/seller-coupons.md",
      },
    });
    if (alertId) await announceAlerts([alertId]);
  } catch (error) {
    // The caller still gets its RESERVATION_EXPIRED; a lost alert is logged loudly instead of turning that into a 500.
    logger.error({ checkoutId: input.checkoutId, orderId: input.orderId, errorName: (error as Error)?.name }, "could not raise payments_recovery_review_required");
  }
}

function applyInTransaction(db: Db, actor: Actor, input: PromoApplyInput, meta: RequestMeta) {
  return db.transaction(async (tx): Promise<AppliedCheckout> => {
    const { targets, ledger } = await lockCheckout(tx, input.checkoutId);
    const active = ledger.filter((row) => row.status !== "PR_RELEASED");
    if (active.length === 0) {
      throw new AppError("RESERVATION_RELEASED", "This checkout released its coupon before the order was applied", { checkoutId: input.checkoutId });
    }
    const otherOrder = active.find((row) => isConsumed(row) && row.orderId !== input.orderId);
    if (otherOrder) {
      throw new AppError("CHECKOUT_ALREADY_REDEEMED", "This checkout's coupon was already applied to another order", {
        checkoutId: input.checkoutId,
        orderId: otherOrder.orderId,
      });
    }
    const pending = active.filter((row) => row.status !== "PR_APPLIED" && row.status !== "PR_REVOKED");
    for (const row of pending) {
      const target = targets.get(row.assignmentId)!;
      const held = row.status === "PR_RESERVED" && isLockLive(target.assignment, target.now) && target.assignment.lockCheckoutId === input.checkoutId;
      if (!held) {
        throw new AppError("RESERVATION_EXPIRED", "The coupon's reservation expired before the order was applied; nothing was consumed", {
          checkoutId: input.checkoutId,
          reservationId: row.id,
          expiredAt: row.expiresAt?.toISOString() ?? null,
        });
      }
    }

    const applied: Redemption[] = [];
    for (const row of pending) {
      applied.push(await consumeAssignment(tx, actor, meta, targets.get(row.assignmentId)!, { orderId: input.orderId, held: row }));
    }
    const created = applied.length > 0 ? await recordPurchases(tx, input.checkoutId, input.orderId, applied) : null;

    const earlier = active.filter(isConsumed);
    const consumed = [...earlier, ...applied];
    // A first apply that created every purchase has them already: the order's purchases are those, in purchasesOfOrder's order.
    const orderPurchases =
      created && earlier.length === 0
        ? created.sort((a, b) => (a.businessId < b.businessId ? -1 : a.businessId > b.businessId ? 1 : 0))
        : await purchasesOfOrder(tx, input.orderId, [...new Set(consumed.map((row) => row.businessId))]);
    return {
      checkoutId: input.checkoutId,
      orderId: input.orderId,
      redemptions: consumed.sort((a, b) => a.id.localeCompare(b.id)).map(redemptionView),
      purchases: orderPurchases.map(purchaseView),
    };
  });
}
