import { sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import type { Actor } from "@/lib/auth/actor";
import { getBookOrThrow } from "./access";

/** Rows per keyset page: one query each, so a 1M-code book never sits in memory. */
const PAGE = 5_000;

type ExportRow = { code: string; status: string; created_utc: string };

/**
 * Microsecond ISO-8601 in UTC: exact, so it is also the keyset cursor. Its alias must not be
 * created_at, or ORDER BY created_at would sort by the text and skip the index.
 */
const createdAtText = sql.raw(`to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`);

function page(db: DbOrTx, bookId: string, after: { createdAt: string; code: string } | undefined) {
  if (!after) {
    return db.execute<ExportRow>(sql`
      select code, status::text as status, ${createdAtText} as created_utc
      from coupon_codes where book_id = ${bookId}
      order by created_at desc nulls last, code asc limit ${PAGE}`);
  }
  // The index is (book_id, created_at desc nulls last, code); plain DESC (nulls first) would not match it.
  // (created_at desc, code asc) has mixed directions, so "after the cursor" is two index ranges:
  // the rest of the cursor's timestamp (one generate call shares one), then older timestamps.
  return db.execute<ExportRow>(sql`
    select code, status, created_utc from (
      (select code, status::text as status, ${createdAtText} as created_utc, created_at as at
       from coupon_codes
       where book_id = ${bookId} and created_at = ${after.createdAt}::timestamptz and code > ${after.code}
       order by code asc limit ${PAGE})
      union all
      (select code, status::text as status, ${createdAtText} as created_utc, created_at as at
       from coupon_codes
       where book_id = ${bookId} and created_at < ${after.createdAt}::timestamptz
       order by created_at desc nulls last, code asc limit ${PAGE})
    ) next_page
    order by at desc nulls last, code asc limit ${PAGE}`);
}

/** Codes are stored as [A-Z0-9_-], but quote anything CSV-special all the same. */
const csvCell = (value: string) => (/[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);

async function* csvChunks(db: DbOrTx, bookId: string): AsyncGenerator<string> {
  yield "code,status,created_at\n";
  let after: { createdAt: string; code: string } | undefined;
  for (;;) {
    const rows = await page(db, bookId, after);
    if (rows.length > 0) yield rows.map((r) => `${csvCell(r.code)},${r.status},${r.created_utc}\n`).join("");
    if (rows.length < PAGE) return;
    const last = rows[rows.length - 1]!;
    after = { createdAt: last.created_utc, code: last.code };
  }
}

/**
 * GET /api/coupon-books/:id/codes.csv: the book's codes as CSV (`code,status,created_at`, newest
 * first), read by keyset pages as the response is consumed. The book is checked first, so another
 * business's book is a 404 before any byte is sent.
 */
export async function exportCodes(db: DbOrTx, actor: Actor, bookId: string) {
  const book = await getBookOrThrow(db, actor, bookId);
  return { filename: `coupon-codes-${book.id}.csv`, chunks: csvChunks(db, book.id) };
}
