import type { DashboardDto } from "@/lib/ops/dashboard-schemas";
import type { DashboardNames } from "@/lib/ops/get-dashboard-names";

/** Labels of a signed-in account (`ops:<id>`, `seller:<id>`), which the names resolve to an email. */
const ACCOUNT_LABEL = /^(?:ops|seller|shopper):[0-9a-f]{8}-/i;

/**
 * The sellers, campaigns and accounts a refreshed DTO names that the server-rendered names don't
 * cover yet (a new candidate, a new pause): the page is rendered again for them, once each.
 */
export function unnamedIds(dashboard: DashboardDto, names: DashboardNames): string[] {
  const missing = new Set<string>();
  const business = (id: string) => {
    if (!(id in names.businesses)) missing.add(`business:${id}`);
  };
  const book = (id: string | null) => {
    if (id && !(id in names.books)) missing.add(`book:${id}`);
  };
  for (const candidate of dashboard.guard.candidateAbusiveHashes) {
    business(candidate.businessId);
    book(candidate.bookId ?? candidate.attributedBookId);
  }
  for (const paused of dashboard.guard.pausedCampaigns.recentlyPaused) {
    business(paused.businessId);
    if (paused.pausedBy && ACCOUNT_LABEL.test(paused.pausedBy) && !(paused.pausedBy in names.accounts)) missing.add(`account:${paused.pausedBy}`);
  }
  return [...missing];
}
