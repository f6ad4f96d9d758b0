import type { Db } from "@/db/client";
import type { Actor } from "@/lib/auth/actor";
import type { RequestMeta } from "@/lib/request-meta";
import { toCampaignDtos } from "./campaign-dto";
import { setCampaignStatus } from "./campaign-status";
import type { CampaignStatusInput } from "./schemas";

/**
 * POST /api/internal/promo/campaigns/:id/status: ops pause or resume one campaign through the
 * audited compare-and-set; any other target status is a 409 like any other refused transition
 * (an unknown id is a 404 whatever was asked).
 */
export async function changeCampaignStatus(db: Db, actor: Actor, bookId: string, input: CampaignStatusInput, meta: RequestMeta) {
  return db.transaction(async (tx) => {
    const updated = await setCampaignStatus(tx, actor, meta, { bookId, status: input.status, reason: input.reason ?? null });
    const [campaign] = await toCampaignDtos(tx, [updated]);
    return campaign!;
  });
}
