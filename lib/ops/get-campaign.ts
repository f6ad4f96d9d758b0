import { eq } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { businesses } from "@/db/schema";
import type { Actor } from "@/lib/auth/actor";
import { getBookOrThrow } from "@/lib/coupons/access";
import { toCampaignDtos, type CampaignDto } from "./campaign-dto";

/**
 * One campaign as the ops list shows it (the book, its usage) with its business's name. An unknown
 * id is BOOK_NOT_FOUND (the page's 404); the book row comes along for callers that need its
 * exact timestamps.
 */
export async function getCampaign(db: DbOrTx, actor: Actor, bookId: string): Promise<{ campaign: CampaignDto; businessName: string; book: Awaited<ReturnType<typeof getBookOrThrow>> }> {
  const book = await getBookOrThrow(db, actor, bookId);
  const [[campaign], [business]] = await Promise.all([
    toCampaignDtos(db, [book]),
    db.select({ name: businesses.name }).from(businesses).where(eq(businesses.id, book.businessId)),
  ]);
  return { campaign: campaign!, businessName: business?.name ?? book.businessId, book };
}
