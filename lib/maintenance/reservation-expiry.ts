import { and, asc, eq, lt, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { redemptions } from "@/db/schema";
import { isLockLive } from "@/lib/coupons/assignment-dto";
import { assignmentAudit, writeAudit, type SystemActor } from "@/lib/coupons/audit";
import { assignmentById, lockedAssignment } from "@/lib/coupons/coupon-target";
import { expireStaleLock } from "@/lib/coupons/reservations";
import { inBatches, type Job } from "@/lib/jobs/job";
import { jobBatches, jobMeta } from "@/lib/jobs/job-meta";

const ACTOR: SystemActor = { kind: "system", name: "reservation-expiry" };
const META = jobMeta("reservation-expiry");

/**
 * Tidies reservations whose TTL passed: PR_RESERVED → PR_EXPIRED and the lapsed lock back to
 * ASSIGNED, audited. Correctness never waits for this job (an expired lock already counts as
 * ASSIGNED everywhere, DESIGN §4–5); it keeps the ledger honest for reports and the leak gauge.
 * Each reservation is handled in its own short transaction that locks the assignment first, in
 * the same order as apply and release, so the job never deadlocks with a checkout.
 */
async function expireOne(db: Db, reservation: { id: string; assignmentId: string; checkoutId: string }) {
  return db.transaction(async (tx) => {
    const target = await lockedAssignment(tx, assignmentById(reservation.assignmentId));
    if (!target) return false;
    const { assignment } = target;
    if (assignment.status === "LOCKED" && assignment.lockCheckoutId === reservation.checkoutId && !isLockLive(assignment, target.now)) {
      await expireStaleLock(tx, ACTOR, META, target);
      return true;
    }
    // The assignment moved on (a later lock or redeem) while this ledger row stayed behind.
    const [expired] = await tx
      .update(redemptions)
      .set({ status: "PR_EXPIRED", reason: "lock TTL passed" })
      .where(and(eq(redemptions.id, reservation.id), eq(redemptions.status, "PR_RESERVED"), lt(redemptions.expiresAt, sql`now()`)))
      .returning({ id: redemptions.id });
    if (!expired) return false;
    await writeAudit(tx, ACTOR, META, {
      ...assignmentAudit(target),
      action: "EXPIRE",
      checkoutId: reservation.checkoutId,
      details: { reservationId: reservation.id, assignmentStatus: assignment.status },
    });
    return true;
  });
}

export async function expireReservations(db: Db) {
  const { batchSize, maxBatches } = jobBatches();
  let expired = 0;
  const { total: seen, exhausted } = await inBatches(maxBatches, batchSize, async (limit) => {
    const due = await db
      .select({ id: redemptions.id, assignmentId: redemptions.assignmentId, checkoutId: redemptions.checkoutId })
      .from(redemptions)
      .where(and(eq(redemptions.status, "PR_RESERVED"), lt(redemptions.expiresAt, sql`now()`)))
      .orderBy(asc(redemptions.expiresAt))
      .limit(limit);
    // A row a checkout applied or released in the meantime is no longer PR_RESERVED: it is skipped
    // here and not selected again.
    for (const reservation of due) if (await expireOne(db, reservation)) expired++;
    return due.length;
  });
  return { expired, skipped: seen - expired, moreLeft: exhausted };
}

export const reservationExpiryJob: Job = {
  name: "reservation-expiry",
  description: "PR_RESERVED past expires_at → PR_EXPIRED, lapsed locks back to ASSIGNED (audited)",
  run: expireReservations,
};
