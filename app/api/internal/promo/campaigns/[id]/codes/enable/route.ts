import { db } from "@/db/client";
import { enableCampaignCodes as operation } from "@/lib/contract/operations/ops";
import { json } from "@/lib/http/responses";
import { withRoute } from "@/lib/http/with-route";
import { enableCampaignCodes } from "@/lib/ops/campaign-codes";
import { routeMethods } from "@/lib/http/route-methods";

// POST /api/internal/promo/campaigns/:id/codes/enable – undo a disable: listed codes (or all) → ASSIGNED or AVAILABLE
const post = withRoute(operation, async ({ actor, params, body, meta }) =>
  json(await enableCampaignCodes(db, actor, params.id, body, meta)),
);

export const { GET, HEAD, OPTIONS, POST, PUT, PATCH, DELETE } = routeMethods({ POST: post });
