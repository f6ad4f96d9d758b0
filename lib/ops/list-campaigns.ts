import { and, eq, sql, type SQL } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { couponBooks } from "@/db/schema";
import { normalizeCode } from "@/lib/coupons/codes";
import { bookPastExpiry, bookStatusFilter, escapeLike, pageOfBooks } from "@/lib/coupons/list-books";
import type { Page } from "@/lib/pagination";
import { toCampaignDtos, type CampaignDto } from "./campaign-dto";
import type { CampaignValidity, ListCampaignsQuery } from "./schemas";

/** The validity window at the database's now(): started and not ended, not started yet, or ended. */
function validityFilter(validity: CampaignValidity | undefined): SQL | undefined {
  switch (validity) {
    case undefined:
      return undefined;
    case "current":
      return sql`(${couponBooks.validFrom} is null or ${couponBooks.validFrom} <= now()) and not ${bookPastExpiry}`;
    case "upcoming":
      return sql`${couponBooks.validFrom} > now() and not ${bookPastExpiry}`;
    case "expired":
      return bookPastExpiry;
  }
}

/**
 * Name, code prefix, or the public code of a GENERIC book. Codes and prefixes are stored
 * normalized, so the search text is normalized the same way for them; a UNIQUE book's codes are
 * never searched (that would scan millions of rows for one page).
 */
function searchFilter(q: string | undefined): SQL | undefined {
  if (!q) return undefined;
  const name = `%${escapeLike(q)}%`;
  const code = `%${escapeLike(normalizeCode(q))}%`;
  return sql`(${couponBooks.name} ilike ${name}
    or ${couponBooks.codePrefix} ilike ${code}
    or (${couponBooks.codeKind} = 'GENERIC' and exists (
      select 1 from coupon_codes c where c.book_id = ${couponBooks.id} and c.code ilike ${code})))`;
}

/**
 * GET /api/internal/promo/campaigns: every business's books for ops, newest first, each with its
 * usage. One query for the page, one for the total, then two grouped usage queries for the page.
 */
export async function listCampaigns(db: DbOrTx, query: ListCampaignsQuery): Promise<Page<CampaignDto>> {
  const where = and(
    query.businessId ? eq(couponBooks.businessId, query.businessId) : undefined,
    bookStatusFilter(query.status),
    validityFilter(query.validity),
    searchFilter(query.q),
  );
  const { rows, total } = await pageOfBooks(db, where, query);
  return { data: await toCampaignDtos(db, rows), total, limit: query.limit, offset: query.offset };
}
