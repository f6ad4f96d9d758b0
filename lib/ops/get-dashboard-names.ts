import { inArray } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { businesses, couponBooks, users } from "@/db/schema";
import type { DashboardDto } from "./dashboard-schemas";

/** Display names for the ids a dashboard DTO names, by id; an id that matches nothing is absent. */
export interface DashboardNames {
  businesses: Record<string, string>;
  books: Record<string, string>;
  /** Who paused: a `<role>:<user id>` label (`ops:…`, or the seller's) → that account's email. */
  accounts: Record<string, string>;
}

/** `ops:<uuid>`, `seller:<uuid>`: a signed-in account's label (`system:guard`, `ops:internal`, `apiKey:…` name no account). */
const ACCOUNT_LABEL = /^(?:ops|seller|shopper):([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i;

/**
 * The seller and campaign names the ops dashboard prints next to the ids of its DTO (the filtered
 * seller, the candidate hashes' sellers and campaigns, the paused campaigns' sellers and who paused
 * them). The DTO keeps ids only, so its queries stay on the attempt and ledger indexes; this reads
 * three small tables by primary key, at most ~340 ids for a full DTO.
 */
export async function getDashboardNames(db: DbOrTx, dto: DashboardDto): Promise<DashboardNames> {
  const businessIds = new Set<string>();
  const bookIds = new Set<string>();
  if (dto.businessId) businessIds.add(dto.businessId);
  for (const candidate of dto.guard.candidateAbusiveHashes) {
    businessIds.add(candidate.businessId);
    if (candidate.bookId) bookIds.add(candidate.bookId);
    if (candidate.attributedBookId) bookIds.add(candidate.attributedBookId);
  }
  const accountLabels = new Map<string, string>(); // user id → label
  for (const paused of dto.guard.pausedCampaigns.recentlyPaused) {
    // The DTO already names the paused campaign; its seller and the pausing account are looked up.
    businessIds.add(paused.businessId);
    const account = paused.pausedBy ? ACCOUNT_LABEL.exec(paused.pausedBy) : null;
    if (account) accountLabels.set(account[1]!.toLowerCase(), paused.pausedBy!);
  }
  const [businessRows, bookRows, accountRows] = await Promise.all([
    businessIds.size === 0 ? [] : db.select({ id: businesses.id, name: businesses.name }).from(businesses).where(inArray(businesses.id, [...businessIds])),
    bookIds.size === 0 ? [] : db.select({ id: couponBooks.id, name: couponBooks.name }).from(couponBooks).where(inArray(couponBooks.id, [...bookIds])),
    accountLabels.size === 0 ? [] : db.select({ id: users.id, email: users.email }).from(users).where(inArray(users.id, [...accountLabels.keys()])),
  ]);
  return {
    businesses: Object.fromEntries(businessRows.map((row) => [row.id, row.name])),
    books: Object.fromEntries(bookRows.map((row) => [row.id, row.name])),
    accounts: Object.fromEntries(accountRows.map((row) => [accountLabels.get(row.id)!, row.email])),
  };
}
