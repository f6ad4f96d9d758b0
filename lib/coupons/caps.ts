import type { Tx } from "@/db/client";
import type { couponBooks } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { bookCapUsage, lockBookCaps } from "./usage";

type Book = Pick<typeof couponBooks.$inferSelect, "id" | "businessId" | "maxTotalRedemptions" | "budgetAmount">;

/** Whether the book has a campaign cap (total redemptions or budget): only those take the cap lock. */
export const isCappedBook = (book: Book) => book.maxTotalRedemptions !== null || book.budgetAmount !== null;

/**
 * Room in a capped campaign for one more use (a reservation or a direct redemption), counted under
 * the book's cap lock, which the caller's transaction holds until it commits its ledger row, so
 * parallel uses count each other (DESIGN §5.2, §5.8). Returns the budget this use may still take
 * (null: no budget). Uncapped books take no lock and never touch the book row.
 */
export async function claimCampaignRoom(tx: Tx, book: Book): Promise<{ remainingBudget: number | null }> {
  if (!isCappedBook(book)) return { remainingBudget: null };
  await lockBookCaps(tx, book.id);
  const usage = await bookCapUsage(tx, book);
  if (book.maxTotalRedemptions !== null && usage.uses >= book.maxTotalRedemptions) {
    throw new AppError("CAMPAIGN_EXHAUSTED", "This campaign has reached its total redemption limit", {
      cap: "TOTAL_REDEMPTIONS",
      maxTotalRedemptions: book.maxTotalRedemptions,
    });
  }
  if (book.budgetAmount === null) return { remainingBudget: null };
  const remainingBudget = book.budgetAmount - usage.discount;
  if (remainingBudget <= 0) {
    throw new AppError("CAMPAIGN_EXHAUSTED", "This campaign has spent its budget", { cap: "BUDGET", budgetAmount: book.budgetAmount });
  }
  return { remainingBudget };
}
