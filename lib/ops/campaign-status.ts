import { and, eq, gt, isNull, or, sql } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { couponBooks } from "@/db/schema";
import { AppError } from "@/lib/http/errors";
import type { RequestMeta } from "@/lib/http/request-meta";
import { auditActorLabel, writeAudit, type AuditActor } from "@/lib/coupons/audit";
import { effectiveBookStatus } from "@/lib/coupons/book-dto";
import { pausedByLabel } from "@/lib/coupons/update-book";

export type CampaignStatusChange = { bookId: string; status: "ACTIVE" | "PAUSED"; reason?: string | null };

/**
 * The safe ACTIVE ⇄ PAUSED switch of ops and the guard (DESIGN §8): a compare-and-set on the status
 * the request implies (pausing needs ACTIVE, resuming needs PAUSED), audited with the actor in the
 * same transaction. It never looks at recent attempts: whether an unpause is safe is the runbook's
 * call, made by a person. Anything else, a book past its expiresAt included, answers 409.
 */
export async function setCampaignStatus(tx: Tx, actor: AuditActor, meta: RequestMeta, change: CampaignStatusChange) {
  const from = change.status === "PAUSED" ? "ACTIVE" : "PAUSED";
  const pausedBy = change.status === "PAUSED" ? (actor.kind === "system" ? auditActorLabel(actor) : pausedByLabel(actor)) : null;
  const [updated] = await tx
    .update(couponBooks)
    .set({
      status: change.status,
      pausedBy,
      ...(change.status === "ACTIVE" ? { resumedAt: sql`now()` } : {}),
      updatedAt: sql`now()`,
    })
    .where(
      and(
        eq(couponBooks.id, change.bookId),
        eq(couponBooks.status, from),
        or(isNull(couponBooks.expiresAt), gt(couponBooks.expiresAt, sql`now()`)),
      ),
    )
    .returning();
  if (!updated) {
    const [current] = await tx.select().from(couponBooks).where(eq(couponBooks.id, change.bookId));
    if (!current) throw new AppError("BOOK_NOT_FOUND", "Campaign not found", { couponBookId: change.bookId });
    const status = effectiveBookStatus(current);
    throw new AppError("INVALID_STATUS_TRANSITION", `A ${status} campaign cannot become ${change.status}`, {
      status,
      requestedStatus: change.status,
    });
  }
  await writeAudit(tx, actor, meta, {
    businessId: updated.businessId,
    bookId: updated.id,
    action: change.status === "PAUSED" ? "PAUSE" : "UNPAUSE",
    previousStatus: from,
    newStatus: change.status,
    details: change.reason ? { reason: change.reason } : undefined,
  });
  return updated;
}
