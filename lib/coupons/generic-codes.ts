import { and, eq, inArray } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { couponBooks, couponCodes } from "@/db/schema";

/** The public code of each GENERIC book among `books` (one query for a page of books). */
export async function genericCodesOf(db: DbOrTx, books: { id: string; codeKind: string }[]) {
  const ids = books.filter((b) => b.codeKind === "GENERIC").map((b) => b.id);
  if (ids.length === 0) return new Map<string, string>();
  const rows = await db
    .select({ bookId: couponCodes.bookId, code: couponCodes.code })
    .from(couponCodes)
    .innerJoin(couponBooks, and(eq(couponBooks.id, couponCodes.bookId), eq(couponBooks.codeKind, "GENERIC")))
    .where(inArray(couponCodes.bookId, ids));
  return new Map(rows.map((r) => [r.bookId, r.code]));
}
