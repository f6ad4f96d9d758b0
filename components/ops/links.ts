import type { DashboardWindow } from "./dashboard/format";

/** The dashboard of a window, of one seller or all; the default window (24h) is left out of the URL. */
export function dashboardHref(window: DashboardWindow, businessId?: string | null) {
  const params = new URLSearchParams();
  if (window !== "24h") params.set("window", window);
  if (businessId) params.set("businessId", businessId);
  const search = params.toString();
  return search ? `/ops?${search}` : "/ops";
}

/** The campaigns list filtered to one seller and, when the campaign is known, to its name. */
export function campaignsHref(businessId: string, campaignName?: string | null) {
  const params = new URLSearchParams({ businessId });
  if (campaignName) params.set("q", campaignName);
  return `/ops/campaigns?${params.toString()}`;
}

/** The runbook's safe unpause flow of one paused campaign. */
export const unpauseHref = (bookId: string) => `/ops/campaigns/${bookId}/unpause`;

/** Every campaign paused now, of one seller or all. */
export function pausedCampaignsHref(businessId?: string | null) {
  const params = new URLSearchParams({ status: "PAUSED" });
  if (businessId) params.set("businessId", businessId);
  return `/ops/campaigns?${params.toString()}`;
}

/** One campaign's ops page: its metadata, usage and the codes panel. */
export const campaignHref = (bookId: string) => `/ops/campaigns/${bookId}`;
