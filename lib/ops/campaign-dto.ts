import { z } from "zod";
import type { DbOrTx } from "@/db/client";
import type { couponBooks } from "@/db/schema";
import { BookDto, toBookDto } from "@/lib/coupons/book-dto";
import { BookUsage, bookUsageOf } from "@/lib/coupons/book-usage";
import { genericCodesOf } from "@/lib/coupons/generic-codes";
import { wireDateTime } from "@/lib/wire";

type BookRow = typeof couponBooks.$inferSelect;

/** A book as the ops API shows it: the book fields of the seller API, `resumedAt`, and `usage`. */
export const CampaignDto = BookDto.extend({
  resumedAt: wireDateTime.nullable().describe("When the campaign was last resumed from a pause; null if it never was"),
  usage: BookUsage,
}).meta({ id: "Campaign" });
export type CampaignDto = z.infer<typeof CampaignDto>;

/** Books as the ops API shows them (CampaignDto), with their usage in two grouped queries whatever the page size. */
export async function toCampaignDtos(db: DbOrTx, books: BookRow[]): Promise<CampaignDto[]> {
  const [genericCodes, usage] = await Promise.all([genericCodesOf(db, books), bookUsageOf(db, books)]);
  return books.map((book) => ({
    ...toBookDto(book, genericCodes.get(book.id) ?? null),
    resumedAt: book.resumedAt?.toISOString() ?? null,
    usage: usage.get(book.id)!,
  }));
}
