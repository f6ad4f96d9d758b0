import { and, count, desc, eq, ilike, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { couponBooks } from "@/db/schema";
import type { Actor } from "@/lib/auth/actor";
import type { Page } from "@/lib/http/responses";
import { businessScope } from "./access";
import { toBookDto, type BookDto } from "./book-dto";
import { genericCodesOf } from "./generic-codes";
import type { ListBooksQuery } from "./schemas";

/** A status filter matches the status the API shows, so EXPIRED includes books past expires_at. */
function statusFilter(status: ListBooksQuery["status"]) {
  if (!status) return undefined;
  const past = sql`${couponBooks.expiresAt} is not null and ${couponBooks.expiresAt} <= now()`;
  if (status === "EXPIRED") return sql`(${couponBooks.status} = 'EXPIRED' or (${couponBooks.status} in ('ACTIVE','PAUSED') and ${past}))`;
  if (status === "ACTIVE" || status === "PAUSED") return and(eq(couponBooks.status, status), sql`not (${past})`);
  return eq(couponBooks.status, status);
}

const escapeLike = (value: string) => value.replace(/[\\%_]/g, (c) => `\\${c}`);

export async function listBooks(db: DbOrTx, actor: Actor, query: ListBooksQuery): Promise<Page<BookDto>> {
  const businessId = businessScope(actor, query.businessId);
  const where = and(
    businessId ? eq(couponBooks.businessId, businessId) : undefined,
    statusFilter(query.status),
    query.q ? ilike(couponBooks.name, `%${escapeLike(query.q)}%`) : undefined,
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
  const codes = await genericCodesOf(db, rows);
  return {
    data: rows.map((book) => toBookDto(book, codes.get(book.id) ?? null)),
    total: totals?.total ?? 0,
    limit: query.limit,
    offset: query.offset,
  };
}
