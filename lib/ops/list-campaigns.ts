import { and, count, desc, eq, sql, type SQL } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { couponBooks } from "@/db/schema";
import { normalizeCode } from "@/lib/coupons/codes";
import type { Page } from "@/lib/http/responses";
import { toCampaignDtos, type CampaignDto } from "./campaign-dto";
import type { CampaignValidity, ListCampaignsQuery } from "./schemas";

const past = sql`(${couponBooks.expiresAt} is not null and ${couponBooks.expiresAt} <= now())`;

/** A status filter matches the status the API shows: EXPIRED includes books past expires_at (DESIGN §4). */
function statusFilter(status: ListCampaignsQuery["status"]): SQL | undefined {
  if (!status) return undefined;
  if (status === "EXPIRED") return sql`(${couponBooks.status} = 'EXPIRED' or (${couponBooks.status} in ('ACTIVE', 'PAUSED') and ${past}))`;
  if (status === "ACTIVE" || status === "PAUSED") return and(eq(couponBooks.status, status), sql`not ${past}`);
  return eq(couponBooks.status, status);
}

/** The validity window at the database's now(): started and not ended, not started yet, or ended. */
function validityFilter(validity: CampaignValidity | undefined): SQL | undefined {
  switch (validity) {
    case undefined:
      return undefined;
    case "current":
      return sql`(${couponBooks.validFrom} is null or ${couponBooks.validFrom} <= now()) and not ${past}`;
    case "upcoming":
      return sql`${couponBooks.validFrom} > now() and not ${past}`;
    case "expired":
      return past;
  }
}

const escapeLike = (value: string) => value.replace(/[\\%_]/g, (c) => `\\${c}`);

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
    statusFilter(query.status),
    validityFilter(query.validity),
    searchFilter(query.q),
  );
  const [rows, [totals]] = await Promise.all([
    db
      .select()
      .from(couponBooks)
      .where(where)
      .orderBy(desc(couponBooks.createdAt), desc(couponBooks.id))
      .limit(query.limit)
      .offset(query.offset),
    db.select({ total: count() }).from(couponBooks).where(where),
  ]);
  return { data: await toCampaignDtos(db, rows), total: totals?.total ?? 0, limit: query.limit, offset: query.offset };
}
