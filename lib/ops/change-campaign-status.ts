import { eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { couponBooks } from "@/db/schema";
import type { Actor } from "@/lib/auth/actor";
import { effectiveBookStatus } from "@/lib/coupons/book-dto";
import { AppError } from "@/lib/http/errors";
import type { RequestMeta } from "@/lib/http/request-meta";
import { toCampaignDtos } from "./campaign-dto";
import { setCampaignStatus } from "./campaign-status";
import type { CampaignStatusInput } from "./schemas";

/**
 * POST /api/internal/promo/campaigns/:id/status: ops pause or resume one campaign through the
 * audited compare-and-set. Any other target status is a 409 like any other refused transition
 * (the book must exist first: an unknown id is a 404 whatever was asked).
 */
export async function changeCampaignStatus(db: Db, actor: Actor, bookId: string, input: CampaignStatusInput, meta: RequestMeta) {
  return db.transaction(async (tx) => {
    const requested = input.status === "CLOSED" ? "ARCHIVED" : input.status;
    if (requested !== "ACTIVE" && requested !== "PAUSED") {
      const [book] = await tx.select().from(couponBooks).where(eq(couponBooks.id, bookId));
      if (!book) throw new AppError("BOOK_NOT_FOUND", "Campaign not found", { couponBookId: bookId });
      const status = effectiveBookStatus(book);
      throw new AppError("INVALID_STATUS_TRANSITION", `Ops can only pause and resume a campaign here (ACTIVE ⇄ PAUSED), not make it ${requested}`, {
        status,
        requestedStatus: requested,
      });
    }
    const updated = await setCampaignStatus(tx, actor, meta, { bookId, status: requested, reason: input.reason ?? null });
    const [campaign] = await toCampaignDtos(tx, [updated]);
    return campaign!;
  });
}
