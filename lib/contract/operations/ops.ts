import { OPERATORS } from "@/lib/auth/actor";
import { AlertDto } from "@/lib/ops/list-alerts";
import { AuditTrailPage } from "@/lib/ops/audit-trail";
import { AuditTrailQuery } from "@/lib/ops/audit-schemas";
import { CampaignDto } from "@/lib/ops/campaign-dto";
import { CodesChangeResult } from "@/lib/ops/campaign-codes";
import { DashboardDto, DashboardQuery } from "@/lib/ops/dashboard-schemas";
import { RetriedAlertDelivery } from "@/lib/ops/retry-alert-delivery";
import { CampaignCodesInput, CampaignIdParams, CampaignStatusInput, DeliveryIdParams, ListAlertsQuery, ListCampaignsQuery, RetryDeliveryInput } from "@/lib/ops/schemas";
import { pageOf } from "@/lib/wire";
import { defineOperation } from "../operation";

export const listAuditTrail = defineOperation({
  operationId: "listAuditTrail",
  method: "GET",
  path: "/api/internal/promo/audit",
  tag: "Operations",
  summary: "The audit trail, newest first",
  description:
    "Coupon changes (every campaign, code, lock, redeem, refund and pause change) and ops actions (alert retries) merged, newest first, filtered by campaign, exact actor and time range [from, to). Keyset-paged: pass `nextCursor` as `after`; no total is counted. Details never carry coupon codes.",
  allow: OPERATORS,
  query: AuditTrailQuery,
  responses: { 200: { description: "One page of the trail", schema: AuditTrailPage } },
});

export const listAlerts = defineOperation({
  operationId: "listAlerts",
  method: "GET",
  path: "/api/internal/promo/alerts",
  tag: "Operations",
  summary: "The alert outbox, newest first",
  description: "Each alert with its deliveries per channel; filtered by severity, event, delivery status, business and time.",
  allow: OPERATORS,
  query: ListAlertsQuery,
  responses: { 200: { description: "One page of alerts", schema: pageOf(AlertDto) } },
});

export const retryAlertDelivery = defineOperation({
  operationId: "retryAlertDelivery",
  method: "POST",
  path: "/api/internal/promo/alerts/deliveries/{deliveryId}/retry",
  tag: "Operations",
  summary: "Retry a FAILED alert delivery",
  description:
    "The delivery goes back to PENDING, due now, with a fresh cycle of attempts (compare-and-set: of concurrent retries one wins, the others answer 409), audited with the operator, then sent at once. A delivery that is PENDING or DELIVERED answers 409 INVALID_STATUS_TRANSITION. The body is optional.",
  allow: OPERATORS,
  params: DeliveryIdParams,
  body: RetryDeliveryInput,
  responses: { 200: { description: "The delivery after the retry's own send attempt", schema: RetriedAlertDelivery } },
  errors: ["NOT_FOUND", "INVALID_STATUS_TRANSITION"],
});

export const getOpsDashboard = defineOperation({
  operationId: "getOpsDashboard",
  method: "GET",
  path: "/api/internal/promo/dashboard",
  tag: "Operations",
  summary: "Dashboard figures over a window",
  description:
    "Attempt acceptance (against the same window a week earlier), reservation → applied conversion, the failure mix with its top reasons, discount granted and guard indicators, with per-bucket series for the charts; for every business or one. Read in one snapshot: the totals equal the sums of the buckets.",
  allow: OPERATORS,
  query: DashboardQuery,
  responses: { 200: { description: "The window's figures", schema: DashboardDto } },
});

export const listCampaigns = defineOperation({
  operationId: "listCampaigns",
  method: "GET",
  path: "/api/internal/promo/campaigns",
  tag: "Operations",
  summary: "Every business's campaigns with their usage, newest first",
  description: "Filtered by status, business, validity (at the time of the request) and a search over the name, the code prefix and a GENERIC book's public code.",
  allow: OPERATORS,
  query: ListCampaignsQuery,
  responses: { 200: { description: "One page of campaigns", schema: pageOf(CampaignDto) } },
});

export const changeCampaignStatus = defineOperation({
  operationId: "changeCampaignStatus",
  method: "POST",
  path: "/api/internal/promo/campaigns/{id}/status",
  tag: "Operations",
  summary: "Pause or resume a campaign",
  description:
    "ACTIVE ⇄ PAUSED only, as a compare-and-set, audited with the reason. An operator may also pause a campaign its seller paused, taking the pause over (the seller then cannot resume it). Any other transition, a campaign past its expiresAt included, answers 409 INVALID_STATUS_TRANSITION.",
  allow: OPERATORS,
  params: CampaignIdParams,
  body: CampaignStatusInput,
  responses: { 200: { description: "The campaign after the change", schema: CampaignDto } },
  errors: ["BOOK_NOT_FOUND", "INVALID_STATUS_TRANSITION"],
});

export const disableCampaignCodes = defineOperation({
  operationId: "disableCampaignCodes",
  method: "POST",
  path: "/api/internal/promo/campaigns/{id}/codes/disable",
  tag: "Operations",
  summary: "Disable a campaign's codes (a leaked batch)",
  description:
    "The listed codes (1–1000) or `all: true`: AVAILABLE and ASSIGNED codes become DISABLED and answer INVALID at checkout; a reservation already held is left to be applied or to expire. One audit row per call; the answer counts, never echoes codes.",
  allow: OPERATORS,
  params: CampaignIdParams,
  body: CampaignCodesInput,
  responses: { 200: { description: "What the call changed", schema: CodesChangeResult } },
  errors: ["BOOK_NOT_FOUND"],
});

export const enableCampaignCodes = defineOperation({
  operationId: "enableCampaignCodes",
  method: "POST",
  path: "/api/internal/promo/campaigns/{id}/codes/enable",
  tag: "Operations",
  summary: "Enable disabled codes again",
  description: "The reverse of a disable, for codes disabled by mistake: the listed codes (or all) go back to ASSIGNED while a shopper holds them, AVAILABLE otherwise.",
  allow: OPERATORS,
  params: CampaignIdParams,
  body: CampaignCodesInput,
  responses: { 200: { description: "What the call changed", schema: CodesChangeResult } },
  errors: ["BOOK_NOT_FOUND"],
});

export const opsOperations = [
  listAuditTrail,
  listAlerts,
  retryAlertDelivery,
  getOpsDashboard,
  listCampaigns,
  changeCampaignStatus,
  disableCampaignCodes,
  enableCampaignCodes,
];
