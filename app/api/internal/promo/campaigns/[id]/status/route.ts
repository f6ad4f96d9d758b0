import { db } from "@/db/client";
import { changeCampaignStatus as operation } from "@/lib/contract/operations/ops";
import { json } from "@/lib/http/responses";
import { withRoute } from "@/lib/http/with-route";
import { changeCampaignStatus } from "@/lib/ops/change-campaign-status";
import { routeMethods } from "@/lib/http/route-methods";

// POST /api/internal/promo/campaigns/:id/status – pause or resume a campaign (ACTIVE ⇄ PAUSED, compare-and-set, audited)
const post = withRoute(operation, async ({ actor, params, body, meta }) =>
  json(await changeCampaignStatus(db, actor, params.id, body, meta)),
);

export const { GET, HEAD, OPTIONS, POST, PUT, PATCH, DELETE } = routeMethods({ POST: post });
