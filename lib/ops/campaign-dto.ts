import type { DbOrTx } from "@/db/client";
import type { couponBooks } from "@/db/schema";
import { toBookDto } from "@/lib/coupons/book-dto";
import { bookUsageOf } from "@/lib/coupons/book-usage";
import { genericCodesOf } from "@/lib/coupons/generic-codes";

type BookRow = typeof couponBooks.$inferSelect;

/** Books as the ops API shows them: the book fields of the seller API, `resumedAt`, and `usage`. */
export async function toCampaignDtos(db: DbOrTx, books: BookRow[]) {
  const [genericCodes, usage] = await Promise.all([genericCodesOf(db, books), bookUsageOf(db, books)]);
  return books.map((book) => ({
    ...toBookDto(book, genericCodes.get(book.id) ?? null),
    resumedAt: book.resumedAt?.toISOString() ?? null,
    usage: usage.get(book.id)!,
  }));
}
export type CampaignDto = Awaited<ReturnType<typeof toCampaignDtos>>[number];
