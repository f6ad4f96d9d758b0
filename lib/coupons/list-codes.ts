import { and, asc, count, eq, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { couponCodes } from "@/db/schema";
import type { Actor } from "@/lib/auth/actor";
import type { Page } from "@/lib/pagination";
import { getBookOrThrow } from "./access";
import type { ListCodesQuery } from "./schemas";

export interface CodeDto {
  id: string;
  code: string;
  status: "AVAILABLE" | "ASSIGNED" | "DISABLED";
  /** A UNIQUE code is ASSIGNED; a GENERIC book's public code stays AVAILABLE and counts as assigned once anyone holds it. */
  isAssigned: boolean;
  createdAt: string;
}

/**
 * A book's codes, newest first (created_at desc, code asc: the order of coupon_codes_book_created_idx,
 * so a page is an index range scan, not a sort of the book).
 * Another business's book answers 404.
 */
export async function listCodes(db: DbOrTx, actor: Actor, bookId: string, query: ListCodesQuery): Promise<Page<CodeDto>> {
  const book = await getBookOrThrow(db, actor, bookId);
  const where = and(eq(couponCodes.bookId, book.id), query.status ? eq(couponCodes.status, query.status) : undefined);
  const [rows, [totals]] = await Promise.all([
    db
      .select({
        id: couponCodes.id,
        code: couponCodes.code,
        status: couponCodes.status,
        // Spelled out: drizzle leaves columns in select fields unqualified, and "id" would bind to the assignment.
        isAssigned: sql<boolean>`(coupon_codes.status = 'ASSIGNED' or exists (select 1 from coupon_assignments a where a.code_id = coupon_codes.id))`,
        createdAt: couponCodes.createdAt,
      })
      .from(couponCodes)
      .where(where)
      // NULLS LAST as in the index (drizzle-kit's .desc()); plain DESC means NULLS FIRST and forces a sort.
      .orderBy(sql`${couponCodes.createdAt} desc nulls last`, asc(couponCodes.code))
      .limit(query.limit)
      .offset(query.offset),
    db.select({ total: count() }).from(couponCodes).where(where),
  ]);
  return {
    data: rows.map((r) => ({ id: r.id, code: r.code, status: r.status, isAssigned: Boolean(r.isAssigned), createdAt: r.createdAt.toISOString() })),
    total: totals?.total ?? 0,
    limit: query.limit,
    offset: query.offset,
  };
}
