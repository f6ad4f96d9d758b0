import { and, asc, count, eq, gt, lt, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import type { DbOrTx } from "@/db/client";
import { codeStatus, couponCodes } from "@/db/schema";
import type { Actor } from "@/lib/auth/actor";
import { AppError } from "@/lib/errors";
import { isRealTimestamp } from "@/lib/validation";
import { pageOf, wireDateTime, wireId } from "@/lib/wire";
import { getBookOrThrow } from "./access";
import type { ListCodesQuery } from "./schemas";

/** A code of a book as the API lists it (the published contract's CouponCode). */
export const CodeDto = z
  .strictObject({
    id: wireId,
    code: z.string(),
    status: z.enum(codeStatus.enumValues),
    isAssigned: z
      .boolean()
      .describe("A UNIQUE code is ASSIGNED; a GENERIC book's public code stays AVAILABLE and counts as assigned once anyone holds it"),
    createdAt: wireDateTime,
  })
  .meta({ id: "CouponCode" });
export type CodeDto = z.infer<typeof CodeDto>;

/** A row of the seller console's codes table: the API's row plus who holds it. */
export interface ConsoleCodeDto extends CodeDto {
  /** The user holding a UNIQUE code; null when no one does, or for a GENERIC code (held by many). */
  holder: string | null;
}

/** The API's page of codes: the list envelope plus the keyset cursor. */
export const CodesPageDto = pageOf(CodeDto).extend({
  nextCursor: z.string().nullable().describe("Pass as `after` for the next page (keyset paging, then `offset` is ignored and answered as 0); null on the last page"),
});
export type CodesPageDto = z.infer<typeof CodesPageDto>;

/**
 * Where the previous page stopped. `at` is created_at as PostgreSQL prints it: a JS Date drops the
 * microseconds, and a cursor a microsecond off would skip or repeat rows.
 */
interface Cursor {
  at?: string;
  code: string;
}

/**
 * created_at::text, e.g. "2026-12-02 02:36:08.123456+00": checked here (a real date and time, an
 * offset PostgreSQL takes) so a forged cursor is a 400, not a cast error.
 */
const PG_TIMESTAMP = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})(\.\d{1,6})?[+-](0\d|1[0-5])(:[0-5]\d)?$/;

const badCursor = () => new AppError("VALIDATION_ERROR", "after is not a cursor this list gave", { details: [{ path: ["after"], message: "Invalid cursor" }] });

function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString("base64url");
}

function decodeCursor(raw: string, byCode: boolean): Cursor {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(raw, "base64url").toString("utf8"));
  } catch {
    throw badCursor();
  }
  const { at, code } = (parsed ?? {}) as { at?: unknown; code?: unknown };
  if (typeof code !== "string" || code.length > 200) throw badCursor();
  // A search page is in code order and needs no time; a plain page needs both halves of its key.
  if (byCode) return { code };
  if (typeof at !== "string") throw badCursor();
  const atParts = PG_TIMESTAMP.exec(at);
  if (!atParts || !isRealTimestamp(atParts[1]!, atParts[2]!)) throw badCursor();
  return { at, code };
}

const columns = {
  id: couponCodes.id,
  code: couponCodes.code,
  status: couponCodes.status,
  // Spelled out: drizzle leaves columns in select fields unqualified, and "id" would bind to the assignment.
  isAssigned: sql<boolean>`(coupon_codes.status = 'ASSIGNED' or exists (select 1 from coupon_assignments a where a.code_id = coupon_codes.id))`,
  createdAt: couponCodes.createdAt,
  cursorAt: sql<string>`coupon_codes.created_at::text`,
};
const holderColumn = sql<string | null>`(select a.user_id from coupon_assignments a where a.code_id = coupon_codes.id and not a.shared limit 1)`;

// NULLS LAST as in the index (drizzle-kit's .desc()); plain DESC means NULLS FIRST and forces a sort.
const newestFirst = [sql`${couponCodes.createdAt} desc nulls last`, asc(couponCodes.code)];

type Row = { id: string; code: string; status: CodeDto["status"]; isAssigned: boolean; createdAt: Date; cursorAt: string; holder?: string | null };

/**
 * One page of a book's codes and the cursor after it. Every shape here is an index range scan of a
 * few rows, however deep the page:
 * - plain: coupon_codes_book_created_idx (book_id, created_at desc, code). After a cursor, the rows
 *   sharing its created_at come first (a bulk generation stamps a whole batch with one time, so the
 *   single OR-ed condition would filter its way through the batch), then the older ones.
 * - search (q): the (business_id, code) unique index over the prefix range, in code order;
 *   starts_with keeps the match exact whatever the collation does with the upper bound.
 */
async function codePage(db: DbOrTx, book: { id: string; businessId: string }, query: ListCodesQuery, withHolder: boolean): Promise<{ rows: Row[]; next: string | null }> {
  const select = withHolder ? { ...columns, holder: holderColumn } : columns;
  const base = and(eq(couponCodes.bookId, book.id), query.status ? eq(couponCodes.status, query.status) : undefined);
  const keyset = query.after !== undefined;
  const offset = keyset ? 0 : query.offset;
  // One extra row says whether there is a next page without counting.
  const want = query.limit + 1;
  let rows: Row[];

  if (query.q) {
    const cursor = query.after ? decodeCursor(query.after, true) : undefined;
    const where = and(
      base,
      eq(couponCodes.businessId, book.businessId),
      sql`${couponCodes.code} >= ${query.q} and ${couponCodes.code} < ${query.q + "\uffff"} and starts_with(${couponCodes.code}, ${query.q})`,
      cursor ? gt(couponCodes.code, cursor.code) : undefined,
    );
    rows = (await db.select(select).from(couponCodes).where(where).orderBy(asc(couponCodes.code)).limit(want).offset(offset)) as Row[];
  } else if (query.after) {
    const cursor = decodeCursor(query.after, false);
    const at = sql`${cursor.at}::timestamptz`;
    const sameTime = (await db
      .select(select)
      .from(couponCodes)
      .where(and(base, sql`${couponCodes.createdAt} = ${at}`, gt(couponCodes.code, cursor.code)))
      .orderBy(asc(couponCodes.code))
      .limit(want)) as Row[];
    const older =
      sameTime.length < want
        ? ((await db
            .select(select)
            .from(couponCodes)
            .where(and(base, lt(couponCodes.createdAt, at as SQL<Date>)))
            .orderBy(...newestFirst)
            .limit(want - sameTime.length)) as Row[])
        : [];
    rows = [...sameTime, ...older];
  } else {
    rows = (await db.select(select).from(couponCodes).where(base).orderBy(...newestFirst).limit(want).offset(offset)) as Row[];
  }

  const more = rows.length > query.limit;
  const shown = rows.slice(0, query.limit);
  const last = shown.at(-1);
  const next = more && last ? encodeCursor(query.q ? { code: last.code } : { at: last.cursorAt, code: last.code }) : null;
  return { rows: shown, next };
}

const toDto = (r: Row): CodeDto => ({ id: r.id, code: r.code, status: r.status, isAssigned: Boolean(r.isAssigned), createdAt: r.createdAt.toISOString() });

/** The count behind the API's `total`, with the same filters as the page. */
function countWhere(book: { id: string; businessId: string }, query: ListCodesQuery) {
  return and(
    eq(couponCodes.bookId, book.id),
    query.status ? eq(couponCodes.status, query.status) : undefined,
    query.q ? and(eq(couponCodes.businessId, book.businessId), sql`starts_with(${couponCodes.code}, ${query.q})`) : undefined,
  );
}

/**
 * A book's codes, newest first (created_at desc, code asc: the order of coupon_codes_book_created_idx,
 * so a page is an index range scan, not a sort of the book), or in code order for a prefix search.
 * `after` pages by keyset; `offset` still works for the existing callers. Another business's book answers 404.
 */
export async function listCodes(db: DbOrTx, actor: Actor, bookId: string, query: ListCodesQuery): Promise<CodesPageDto> {
  const book = await getBookOrThrow(db, actor, bookId);
  const [page, [totals]] = await Promise.all([codePage(db, book, query, false), db.select({ total: count() }).from(couponCodes).where(countWhere(book, query))]);
  return {
    data: page.rows.map(toDto),
    total: totals?.total ?? 0,
    limit: query.limit,
    offset: query.after ? 0 : query.offset,
    nextCursor: page.next,
  };
}

/**
 * The seller console's codes table: a keyset page with each code's holder and no count(*) — a page
 * view of a 1,000,000-code book must not count the book (the page shows the book's own counters).
 */
export async function listConsoleCodes(
  db: DbOrTx,
  actor: Actor,
  bookId: string,
  query: ListCodesQuery,
): Promise<{ data: ConsoleCodeDto[]; nextCursor: string | null }> {
  const book = await getBookOrThrow(db, actor, bookId);
  const page = await codePage(db, book, query, true);
  return { data: page.rows.map((r) => ({ ...toDto(r), holder: r.holder ?? null })), nextCursor: page.next };
}
