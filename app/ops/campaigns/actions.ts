"use server";

import { actionCaller } from "@/lib/http/action-caller";
import {
  disableCampaignCodesServerAction,
  enableCampaignCodesServerAction,
  pauseCampaignServerAction,
  unpauseCampaignServerAction,
} from "@/lib/ops/campaign-actions";

// The campaign pages' actions (lib/ops/campaign-actions.ts; in the authorization matrix): ops only, audited as the operator.
export async function pauseCampaignAction(input: unknown) {
  return pauseCampaignServerAction.run(await actionCaller(), input);
}

export async function unpauseCampaignAction(input: unknown) {
  return unpauseCampaignServerAction.run(await actionCaller(), input);
}

export async function disableCampaignCodesAction(input: unknown) {
  return disableCampaignCodesServerAction.run(await actionCaller(), input);
}

export async function enableCampaignCodesAction(input: unknown) {
  return enableCampaignCodesServerAction.run(await actionCaller(), input);
}
