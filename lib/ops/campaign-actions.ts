import type { z } from "zod";
import { db } from "@/db/client";
import { defineServerAction } from "@/lib/http/server-action";
import { CampaignCodesActionInput, PauseCampaignInput, UnpauseCampaignInput } from "./campaign-action-schemas";
import { disableCampaignCodes, enableCampaignCodes } from "./campaign-codes";
import { changeCampaignStatus } from "./change-campaign-status";
import type { CampaignCodesInput } from "./schemas";

/*
 * The ops console's campaign actions ("use server" one-liners in app/ops/campaigns/actions.ts; in
 * the authorization matrix): ops only, each one the service of its internal API route, so the
 * audit row names the operator (`ops:<user id>`) like an API call from their session would.
 */

const ONLY_OPS = ["ops"] as const;

/** POST /api/internal/promo/campaigns/:id/status with PAUSED and the operator's reason. */
export const pauseCampaignServerAction = defineServerAction({ allow: ONLY_OPS, input: PauseCampaignInput }, ({ actor, input, meta }) =>
  changeCampaignStatus(db, actor, input.campaignId, { status: input.status, reason: input.reason }, meta),
);

/**
 * The safe unpause: the same status change back to ACTIVE. The checklist was required to get here;
 * the service itself never refuses an ops unpause because of recent attempts (DESIGN §8).
 */
export const unpauseCampaignServerAction = defineServerAction({ allow: ONLY_OPS, input: UnpauseCampaignInput }, ({ actor, input, meta }) =>
  changeCampaignStatus(db, actor, input.campaignId, { status: input.status, reason: input.reason }, meta),
);

/** The API's body, without the id the route takes from its path. */
const codesChange = (input: z.infer<typeof CampaignCodesActionInput>): CampaignCodesInput =>
  input.all ? { all: true, reason: input.reason } : { codes: input.codes, reason: input.reason };

/** POST …/campaigns/:id/codes/disable: the listed codes (or all of them) → DISABLED; answers the counts. */
export const disableCampaignCodesServerAction = defineServerAction({ allow: ONLY_OPS, input: CampaignCodesActionInput }, ({ actor, input, meta }) =>
  disableCampaignCodes(db, actor, input.campaignId, codesChange(input), meta),
);

/** POST …/campaigns/:id/codes/enable: the reverse. */
export const enableCampaignCodesServerAction = defineServerAction({ allow: ONLY_OPS, input: CampaignCodesActionInput }, ({ actor, input, meta }) =>
  enableCampaignCodes(db, actor, input.campaignId, codesChange(input), meta),
);
