import { eq, sql } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { couponBooks } from "@/db/schema";
import type { Actor } from "@/lib/auth/actor";
import { AppError } from "@/lib/errors";
import type { RequestMeta } from "@/lib/request-meta";
import { getBookOrThrow } from "./access";
import { writeAudit } from "./audit";
import { effectiveBookStatus } from "./book-dto";

type Book = typeof couponBooks.$inferSelect;

/**
 * The book generate and upload add codes to, row-locked so that its counters and keyspace checks
 * see one writer at a time: a UNIQUE book (a GENERIC one has its single public code), not ARCHIVED
 * or EXPIRED.
 */
export async function bookTakingCodes(tx: Tx, actor: Actor, bookId: string, how: "generated for" | "uploaded to"): Promise<Book> {
  const book = await getBookOrThrow(tx, actor, bookId, { forUpdate: true });
  if (book.codeKind === "GENERIC") throw new AppError("WRONG_CODE_KIND", `A GENERIC book has one public code; codes cannot be ${how} it`);
  const status = effectiveBookStatus(book);
  if (status === "ARCHIVED" || status === "EXPIRED") {
    throw new AppError("BOOK_NOT_ACTIVE", `Codes cannot be added to a ${status} book`, { status });
  }
  return book;
}

/**
 * Counts codes added to a book (generated_count, which activation and the keyspace check read) and
 * audits the addition, in the caller's transaction. `codePrefix` is set along when given.
 */
export async function recordAddedCodes(
  tx: Tx,
  actor: Actor,
  meta: RequestMeta,
  book: Book,
  added: { count: number; action: "GENERATE" | "UPLOAD"; details: Record<string, unknown>; codePrefix?: string | null },
) {
  await countAddedCodes(tx, book.id, added.count, added.codePrefix);
  await writeAudit(tx, actor, meta, { businessId: book.businessId, bookId: book.id, action: added.action, details: added.details });
}

/** Adds `count` to the book's generated_count (in the caller's transaction), and sets its code prefix when given. */
export async function countAddedCodes(tx: Tx, bookId: string, count: number, codePrefix?: string | null) {
  if (count === 0) return;
  await tx
    .update(couponBooks)
    .set({
      generatedCount: sql`${couponBooks.generatedCount} + ${count}`,
      ...(codePrefix === undefined ? {} : { codePrefix }),
      updatedAt: sql`now()`,
    })
    .where(eq(couponBooks.id, bookId));
}

/**
 * Inserts normalized codes in one statement (no per-code round trips) and returns those that were
 * new: a code already in the business is skipped by the unique key, which is the final judge.
 * Codes are validated against CODE_FORMAT first, so the array literal needs no escaping.
 */
export async function insertCodes(
  tx: Tx,
  target: { businessId: string; bookId: string },
  codes: readonly string[],
  status: "AVAILABLE" | "DISABLED" = "AVAILABLE",
): Promise<string[]> {
  if (codes.length === 0) return [];
  const rows = await tx.execute<{ code: string }>(sql`
    insert into coupon_codes (business_id, book_id, code, status)
    select ${target.businessId}, ${target.bookId}, code, ${status}::code_status
    from unnest(${textArray(codes)}::text[]) as input(code)
    on conflict (business_id, code) do nothing
    returning code`);
  return rows.map((r) => r.code);
}

/** An array literal of validated codes: every element quoted, or a code spelled NULL would be read as a null element. */
const textArray = (codes: readonly string[]) => `{"${codes.join('","')}"}`;

/**
 * insertCodes for rows of their own status each (an upload), in one statement, answering only the
 * codes it skipped: an upload of 1M rows reads back its few duplicates, not the million codes it
 * added. `codes` must be distinct.
 */
export async function insertCodesReturningSkipped(
  tx: Tx,
  target: { businessId: string; bookId: string },
  rows: readonly { code: string; status: "AVAILABLE" | "DISABLED" }[],
): Promise<string[]> {
  if (rows.length === 0) return [];
  const skipped = await tx.execute<{ code: string }>(sql`
    with input as (
      select * from unnest(${textArray(rows.map((r) => r.code))}::text[], ${`{${rows.map((r) => r.status).join(",")}}`}::code_status[]) as input(code, status)
    ), inserted as (
      insert into coupon_codes (business_id, book_id, code, status)
      select ${target.businessId}, ${target.bookId}, code, status from input
      on conflict (business_id, code) do nothing
      returning code
    )
    select code from input except all select code from inserted`);
  return skipped.map((r) => r.code);
}
