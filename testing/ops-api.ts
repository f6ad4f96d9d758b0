import { GET as campaignsRoute } from "@/app/api/internal/promo/campaigns/route";
import { POST as disableCodesRoute } from "@/app/api/internal/promo/campaigns/[id]/codes/disable/route";
import { POST as enableCodesRoute } from "@/app/api/internal/promo/campaigns/[id]/codes/enable/route";
import { POST as statusRoute } from "@/app/api/internal/promo/campaigns/[id]/status/route";
import { POST as refundRoute } from "@/app/api/internal/promo/purchases/[orderId]/refund/route";
import { POST as rollbackRoute } from "@/app/api/internal/promo/refund-rollback/route";
import type { Caller } from "./coupon-api";
import { call } from "./http";
import { internal } from "./promo-api";

/** The ops endpoints of the internal promo API, called as the internal service unless told otherwise. */
export const listCampaigns = (query = "", who: Caller = internal()) =>
  call(campaignsRoute, { method: "GET", path: `/api/internal/promo/campaigns${query ? `?${query}` : ""}`, ...who });
export const setStatus = (id: string, body: unknown, who: Caller = internal()) =>
  call(statusRoute, { path: `/api/internal/promo/campaigns/${id}/status`, params: { id }, ...who, body });
export const disableCodes = (id: string, body: unknown, who: Caller = internal()) =>
  call(disableCodesRoute, { path: `/api/internal/promo/campaigns/${id}/codes/disable`, params: { id }, ...who, body });
export const enableCodes = (id: string, body: unknown, who: Caller = internal()) =>
  call(enableCodesRoute, { path: `/api/internal/promo/campaigns/${id}/codes/enable`, params: { id }, ...who, body });
export const reportRefund = (orderId: string, body: unknown, who: Caller = internal()) =>
  call(refundRoute, { path: `/api/internal/promo/purchases/${encodeURIComponent(orderId)}/refund`, params: { orderId }, ...who, body });
export const refundRollback = (body: unknown, who: Caller = internal()) =>
  call(rollbackRoute, { path: "/api/internal/promo/refund-rollback", ...who, body });
