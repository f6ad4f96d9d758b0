import { db } from "@/db/client";
import { OPERATORS } from "@/lib/auth/actor";
import { json } from "@/lib/http/responses";
import { withRoute } from "@/lib/http/with-route";
import { enableCampaignCodes } from "@/lib/ops/campaign-codes";
import { CampaignCodesInput, CampaignIdParams } from "@/lib/ops/schemas";

// POST /api/internal/promo/campaigns/:id/codes/enable – undo a disable: listed codes (or all) → ASSIGNED or AVAILABLE
export const POST = withRoute({ allow: OPERATORS, params: CampaignIdParams, body: CampaignCodesInput }, async ({ actor, params, body, meta }) =>
  json(await enableCampaignCodes(db, actor, params.id, body, meta)),
);
