import { db } from "@/db/client";
import { OPERATORS } from "@/lib/auth/actor";
import { json } from "@/lib/http/responses";
import { withRoute } from "@/lib/http/with-route";
import { enableCampaignCodes } from "@/lib/ops/campaign-codes";
import { CampaignCodesInput, CampaignIdParams } from "@/lib/ops/schemas";
import { routeMethods } from "@/lib/http/route-methods";

// POST /api/internal/promo/campaigns/:id/codes/enable – undo a disable: listed codes (or all) → ASSIGNED or AVAILABLE
const post = withRoute({ allow: OPERATORS, params: CampaignIdParams, body: CampaignCodesInput }, async ({ actor, params, body, meta }) =>
  json(await enableCampaignCodes(db, actor, params.id, body, meta)),
);

export const { GET, HEAD, OPTIONS, POST, PUT, PATCH, DELETE } = routeMethods({ POST: post });
