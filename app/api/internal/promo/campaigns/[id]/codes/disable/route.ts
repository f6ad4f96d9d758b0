import { db } from "@/db/client";
import { disableCampaignCodes as operation } from "@/lib/contract/operations/ops";
import { json } from "@/lib/http/responses";
import { withRoute } from "@/lib/http/with-route";
import { disableCampaignCodes } from "@/lib/ops/campaign-codes";
import { routeMethods } from "@/lib/http/route-methods";

// POST /api/internal/promo/campaigns/:id/codes/disable – contain a leaked batch: listed codes (or all) → DISABLED
const post = withRoute(operation, async ({ actor, params, body, meta }) =>
  json(await disableCampaignCodes(db, actor, params.id, body, meta)),
);

export const { GET, HEAD, OPTIONS, POST, PUT, PATCH, DELETE } = routeMethods({ POST: post });
