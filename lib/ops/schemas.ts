import { z } from "zod";
import { text } from "@/lib/validation";
import { normalizeCode } from "@/lib/coupons/codes";
import { bookStatusInput } from "@/lib/coupons/schemas";
import { pagination } from "@/lib/pagination";

/** Where a campaign stands against its validity window, at the time of the request. */
const CAMPAIGN_VALIDITIES = ["current", "upcoming", "expired"] as const;
export type CampaignValidity = (typeof CAMPAIGN_VALIDITIES)[number];

/** Unknown filter values are a 400 (an ops filter that silently matched everything would mislead); limit/offset are clamped. */
export const ListCampaignsQuery = z.object({
  status: bookStatusInput.optional(),
  businessId: z.uuid().optional(),
  /** Matches the name, the code prefix or a GENERIC book's public code, case-insensitively. */
  q: text().trim().min(1).max(200).optional(),
  validity: z.enum(CAMPAIGN_VALIDITIES).optional(),
  ...pagination,
});
export type ListCampaignsQuery = z.infer<typeof ListCampaignsQuery>;

export const CampaignIdParams = z.object({ id: z.uuid() });

const reason = text().trim().min(1).max(500);

/**
 * Any book status is accepted as input so that asking for DRAFT, EXPIRED or ARCHIVED here is the
 * same 409 as any other transition this endpoint does not make (only ACTIVE ⇄ PAUSED).
 */
export const CampaignStatusInput = z.object({
  status: bookStatusInput,
  reason: reason.optional(),
});
export type CampaignStatusInput = z.infer<typeof CampaignStatusInput>;

const MAX_CODES_PER_CALL = 1000;

/** A leaked batch: the listed codes (normalized like every other code input), or the whole book. */
export const CampaignCodesInput = z
  .object({
    codes: z.array(text().max(200).transform(normalizeCode)).min(1).max(MAX_CODES_PER_CALL).optional(),
    all: z.literal(true).optional(),
    reason: reason.optional(),
  })
  .refine((input) => (input.codes === undefined) !== (input.all === undefined), {
    message: "send either codes (1–1000) or all: true, not both",
    path: ["codes"],
  });
export type CampaignCodesInput = z.infer<typeof CampaignCodesInput>;
