import { z } from "zod";
import { text } from "@/lib/validation";
import { CampaignCodesInput, CampaignStatusInput } from "./schemas";

/*
 * The ops console's campaign forms and server actions (lib/ops/campaign-actions.ts) validate with
 * these: the internal API's own schemas, extended with the campaign's id and made stricter where
 * the console asks more than the API (a reason is required of a person; the unpause needs the
 * runbook's checklist). The browser imports this file too, so the forms check the same rules.
 */

/** The API's reason (1–500 characters after trimming), required, with messages a form can show. */
const opsReason = text()
  .trim()
  .min(1, { error: "Give a reason: it goes into the audit trail and the seller sees it" })
  .max(500, { error: "At most 500 characters" });

const campaignId = z.uuid({ error: "Not a campaign id" });

/** Pause from the console: POST …/campaigns/:id/status with PAUSED and a reason. */
export const PauseCampaignInput = CampaignStatusInput.extend({ campaignId, status: z.literal("PAUSED"), reason: opsReason });
export type PauseCampaignInput = z.infer<typeof PauseCampaignInput>;

const ticked = (error: string) => z.boolean().refine((value) => value, { error });

/**
 * Seed 001 §4's checks, each confirmed by the operator: verify the campaign's metadata, make sure
 * the abuse burst is over, and commit to monitoring after the unpause (step 3 is the unpause itself).
 */
export const UnpauseChecklist = z.object({
  metadataVerified: ticked("Verify the campaign's metadata first"),
  burstOver: ticked("Make sure the abuse burst is over first"),
  monitoringPlanned: ticked("Plan the 10–15 minutes of monitoring first"),
});
export type UnpauseChecklist = z.infer<typeof UnpauseChecklist>;

/** The safe unpause: PAUSED → ACTIVE with a reason, only with every check of the runbook ticked. */
export const UnpauseCampaignInput = CampaignStatusInput.extend({ campaignId, status: z.literal("ACTIVE"), reason: opsReason, checklist: UnpauseChecklist });
export type UnpauseCampaignInput = z.infer<typeof UnpauseCampaignInput>;

/** Disable or enable codes: the API's body (listed codes, up to 1000, or all: true, its refinement kept by safeExtend) for one campaign, with a reason. */
export const CampaignCodesActionInput = CampaignCodesInput.safeExtend({ campaignId, reason: opsReason });
export type CampaignCodesActionInput = z.input<typeof CampaignCodesActionInput>;

/** A pasted list as the codes form reads it: one code per line or comma separated, blanks ignored. */
export function splitPastedCodes(pasted: string): string[] {
  return pasted
    .split(/[\r\n,]+/)
    .map((code) => code.trim())
    .filter((code) => code !== "");
}
