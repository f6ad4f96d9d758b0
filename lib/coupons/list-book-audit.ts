import { and, count, desc, eq } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { redemptionAudit } from "@/db/schema";
import type { Actor } from "@/lib/auth/actor";
import type { Page } from "@/lib/pagination";
import { getBookOrThrow } from "./access";

/**
 * A book's audit trail (DESIGN §5.6), newest first: who changed what and when. The request's ip
 * and user agent stay out of the seller's view; ops read them through the runbooks.
 */
export async function listBookAudit(db: DbOrTx, actor: Actor, bookId: string, page: { limit: number; offset: number }) {
  const book = await getBookOrThrow(db, actor, bookId);
  const where = and(eq(redemptionAudit.businessId, book.businessId), eq(redemptionAudit.bookId, book.id));
  const [rows, [totals]] = await Promise.all([
    db
      .select({
        id: redemptionAudit.id,
        at: redemptionAudit.at,
        action: redemptionAudit.action,
        actor: redemptionAudit.actor,
        userId: redemptionAudit.userId,
        previousStatus: redemptionAudit.previousStatus,
        newStatus: redemptionAudit.newStatus,
        redeemCount: redemptionAudit.redeemCount,
        checkoutId: redemptionAudit.checkoutId,
        orderId: redemptionAudit.orderId,
        details: redemptionAudit.details,
      })
      .from(redemptionAudit)
      .where(where)
      .orderBy(desc(redemptionAudit.at), desc(redemptionAudit.id))
      .limit(page.limit)
      .offset(page.offset),
    db.select({ total: count() }).from(redemptionAudit).where(where),
  ]);
  const data = rows.map((row) => ({ ...row, at: row.at.toISOString() }));
  return { data, total: totals?.total ?? 0, limit: page.limit, offset: page.offset } satisfies Page<(typeof data)[number]>;
}
