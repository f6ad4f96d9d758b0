import { and, eq, gt, isNull, not, or, sql } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { couponBooks } from "@/db/schema";
import { AppError } from "@/lib/errors";
import type { RequestMeta } from "@/lib/request-meta";
import { writeAudit, type AuditActor } from "@/lib/coupons/audit";
import { effectiveBookStatus } from "@/lib/coupons/book-dto";
import type { BookStatus } from "@/db/schema";
import { pausedByLabel, pausedByOperatorSql } from "@/lib/coupons/paused-by";

export type CampaignStatusChange = {
  bookId: string;
  /** Only ACTIVE and PAUSED can be set here; any other status is refused like an impossible switch (409). */
  status: BookStatus;
  reason?: string | null;
  /**
   * Only if the campaign was last resumed at this time, as PostgreSQL printed it (`resumed_at::text`,
   * microseconds kept; null: never): a caller that judged the campaign on evidence read earlier (the
   * guard) must not undo a resume that came after it.
   */
  ifResumedAt?: string | null;
};

/**
 * The safe ACTIVE ⇄ PAUSED switch of ops and the guard (DESIGN §8): a compare-and-set on the status
 * the request implies (pausing needs ACTIVE, resuming needs PAUSED), audited with the actor in the
 * same transaction. One more case: an operator may pause a campaign its seller paused, taking the
 * pause over so that the seller cannot resume it mid-incident. It never looks at recent attempts:
 * whether an unpause is safe is the runbook's call, made by a person. Anything else, a book past
 * its expiresAt included, answers 409.
 */
export async function setCampaignStatus(tx: Tx, actor: AuditActor, meta: RequestMeta, change: CampaignStatusChange) {
  const [before] = await tx.select().from(couponBooks).where(eq(couponBooks.id, change.bookId)).for("update");
  if (!before) throw new AppError("BOOK_NOT_FOUND", "Campaign not found", { couponBookId: change.bookId });
  const refused = () => {
    const status = effectiveBookStatus(before);
    return new AppError("INVALID_STATUS_TRANSITION", `${/^[AEIOU]/.test(status) ? "An" : "A"} ${status} campaign cannot become ${change.status} here (only ACTIVE ⇄ PAUSED)`, {
      status,
      requestedStatus: change.status,
      ...(status === "PAUSED" ? { pausedBy: before.pausedBy } : {}),
    });
  };
  if (change.status !== "ACTIVE" && change.status !== "PAUSED") throw refused();

  const pausing = change.status === "PAUSED";
  const implied = pausing
    ? actor.kind === "system"
      ? eq(couponBooks.status, "ACTIVE")
      : or(eq(couponBooks.status, "ACTIVE"), and(eq(couponBooks.status, "PAUSED"), not(pausedByOperatorSql(couponBooks.pausedBy))))
    : eq(couponBooks.status, "PAUSED");
  const [updated] = await tx
    .update(couponBooks)
    .set({
      status: change.status,
      pausedBy: pausing ? pausedByLabel(actor) : null,
      ...(pausing ? {} : { resumedAt: sql`now()` }),
      updatedAt: sql`now()`,
    })
    .where(
      and(
        eq(couponBooks.id, change.bookId),
        implied,
        or(isNull(couponBooks.expiresAt), gt(couponBooks.expiresAt, sql`now()`)),
        change.ifResumedAt === undefined ? undefined : sql`${couponBooks.resumedAt} is not distinct from ${change.ifResumedAt}::timestamptz`,
      ),
    )
    .returning();
  if (!updated) throw refused();

  const takenOver = pausing && before.status === "PAUSED";
  await writeAudit(tx, actor, meta, {
    businessId: updated.businessId,
    bookId: updated.id,
    action: pausing ? "PAUSE" : "UNPAUSE",
    previousStatus: before.status,
    newStatus: change.status,
    details: change.reason || takenOver ? { ...(change.reason ? { reason: change.reason } : {}), ...(takenOver ? { takenOverFrom: before.pausedBy } : {}) } : undefined,
  });
  return updated;
}
