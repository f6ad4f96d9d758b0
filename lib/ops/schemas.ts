import { z } from "zod";
import { isoInstant, text } from "@/lib/validation";
import { normalizeCode } from "@/lib/coupons/codes";
import { bookStatusInput } from "@/lib/coupons/schemas";
import { pagination } from "@/lib/pagination";
import { ALERT_EVENTS, ALERT_SEVERITIES } from "@/lib/alerts/kinds";
import { alertDeliveryStatus } from "@/db/schema";

/** Where a campaign stands against its validity window, at the time of the request. */
const CAMPAIGN_VALIDITIES = ["current", "upcoming", "expired"] as const;
export type CampaignValidity = (typeof CAMPAIGN_VALIDITIES)[number];

/** Unknown filter values are a 400 (an ops filter that silently matched everything would mislead); limit/offset are clamped. */
export const ListCampaignsQuery = z.object({
  status: bookStatusInput.optional(),
  businessId: z.uuid().optional(),
  q: text().trim().min(1).max(200).optional().describe("Part of the name, the code prefix or a GENERIC book's public code, case-insensitively"),
  validity: z
    .enum(CAMPAIGN_VALIDITIES)
    .optional()
    .describe("Against the validity window now: current (started, not ended), upcoming (not started), expired (past expiresAt)"),
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
  })
  .describe("Exactly one of `codes` (the listed codes, as shoppers type them) or `all: true` (every code of the campaign), with an optional reason for the audit trail");
export type CampaignCodesInput = z.infer<typeof CampaignCodesInput>;

/** Filters of the alert outbox list; an unknown value is a 400 like the campaign filters. */
export const ListAlertsQuery = z.object({
  severity: z.enum(ALERT_SEVERITIES).optional(),
  eventType: z.enum(ALERT_EVENTS).optional(),
  deliveryStatus: z.enum(alertDeliveryStatus.enumValues).optional().describe("Alerts with at least one delivery in this state"),
  businessId: z.uuid().optional(),
  since: isoInstant()
    .optional()
    .describe("Alerts raised at or after this instant (ISO 8601 with an offset)"),
  ...pagination,
});
export type ListAlertsQuery = z.infer<typeof ListAlertsQuery>;

export const DeliveryIdParams = z.object({ deliveryId: z.uuid() });

/** The body is optional: `{}` or none retries without a reason. */
export const RetryDeliveryInput = z.object({ reason: reason.optional() });
export type RetryDeliveryInput = z.infer<typeof RetryDeliveryInput>;
