import { and, count, desc, eq, ilike, sql, type SQL } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { couponBooks } from "@/db/schema";
import type { Actor } from "@/lib/auth/actor";
import type { Page } from "@/lib/pagination";
import { businessScope } from "./access";
import { toBookDto, type BookDto } from "./book-dto";
import { bookUsageOf, type BookUsage } from "./book-usage";
import { genericCodesOf } from "./generic-codes";
import type { ListBooksQuery } from "./schemas";

/** A book whose expires_at has passed: reads show it EXPIRED before the rollover job stores that (DESIGN §4). */
export const bookPastExpiry = sql`(${couponBooks.expiresAt} is not null and ${couponBooks.expiresAt} <= now())`;

/** A status filter matches the status the API shows, so EXPIRED includes books past expires_at. */
export function bookStatusFilter(status: ListBooksQuery["status"]): SQL | undefined {
  if (!status) return undefined;
  if (status === "EXPIRED") return sql`(${couponBooks.status} = 'EXPIRED' or (${couponBooks.status} in ('ACTIVE','PAUSED') and ${bookPastExpiry}))`;
  if (status === "ACTIVE" || status === "PAUSED") return and(eq(couponBooks.status, status), sql`not ${bookPastExpiry}`);
  return eq(couponBooks.status, status);
}

export const escapeLike = (value: string) => value.replace(/[\\%_]/g, (c) => `\\${c}`);

/** One page of the books matching `where`, newest first, and how many match in all. */
export async function pageOfBooks(db: DbOrTx, where: SQL | undefined, page: { limit: number; offset: number }) {
  const [rows, [totals]] = await Promise.all([
    db
      .select()
      .from(couponBooks)
      .where(where)
      .orderBy(desc(couponBooks.createdAt), desc(couponBooks.id))
      .limit(page.limit)
      .offset(page.offset),
    db.select({ total: count() }).from(couponBooks).where(where),
  ]);
  return { rows, total: totals?.total ?? 0 };
}

/**
 * The books list of the seller console: the same page as `listBooks`, each book with the usage the
 * ops API shows for it (one service computes both: lib/coupons/book-usage.ts).
 */
export async function listBooksWithUsage(db: DbOrTx, actor: Actor, query: ListBooksQuery): Promise<Page<BookDto & { usage: BookUsage }>> {
  const page = await booksPage(db, actor, query);
  const usage = await bookUsageOf(db, page.rows);
  return { ...page.dtos, data: page.dtos.data.map((book) => ({ ...book, usage: usage.get(book.id)! })) };
}

export async function listBooks(db: DbOrTx, actor: Actor, query: ListBooksQuery): Promise<Page<BookDto>> {
  return (await booksPage(db, actor, query)).dtos;
}

async function booksPage(db: DbOrTx, actor: Actor, query: ListBooksQuery) {
  const businessId = businessScope(actor, query.businessId);
  const where = and(
    businessId ? eq(couponBooks.businessId, businessId) : undefined,
    bookStatusFilter(query.status),
    query.q ? ilike(couponBooks.name, `%${escapeLike(query.q)}%`) : undefined,
  );
  const { rows, total } = await pageOfBooks(db, where, query);
  const codes = await genericCodesOf(db, rows);
  const dtos: Page<BookDto> = { data: rows.map((book) => toBookDto(book, codes.get(book.id) ?? null)), total, limit: query.limit, offset: query.offset };
  return { rows, dtos };
}
