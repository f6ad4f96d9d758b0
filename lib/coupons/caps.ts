import type { Tx } from "@/db/client";
import type { couponBooks } from "@/db/schema";
import { AppError } from "@/lib/http/errors";
import { bookCapUsage, lockBookCaps } from "./usage";

/**
 * For a book with max_total_redemptions, takes the book's cap lock and checks that one more use
 * (a reservation or a direct redemption) fits. Uncapped books skip the lock entirely.
 */
export async function assertCampaignHasRoom(tx: Tx, book: typeof couponBooks.$inferSelect) {
  if (book.maxTotalRedemptions === null) return;
  await lockBookCaps(tx, book.id);
  const usage = await bookCapUsage(tx, book.id);
  if (usage.uses >= book.maxTotalRedemptions) {
    throw new AppError("CAMPAIGN_EXHAUSTED", "This campaign has reached its total redemption limit", {
      maxTotalRedemptions: book.maxTotalRedemptions,
    });
  }
}
