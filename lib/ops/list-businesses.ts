import { asc, count, inArray } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { businesses } from "@/db/schema";

/** Past this many, a select stops being a usable control; the console's seller filter shows the first ones by name. */
export const MAX_LISTED_BUSINESSES = 500;

export interface BusinessOption {
  id: string;
  name: string;
}

/**
 * The businesses (sellers' tenants) an ops filter offers, by name: the first MAX_LISTED_BUSINESSES,
 * plus any of `include` past that cut (the one selected, those a page of campaigns names), so a row
 * never shows a bare id. `total` says how many exist, for a page that must say the list is cut.
 */
export async function listBusinesses(db: DbOrTx, options: { include?: readonly string[] } = {}): Promise<{ data: BusinessOption[]; total: number }> {
  const include = [...new Set(options.include ?? [])];
  const [first, extra, [totals]] = await Promise.all([
    db.select({ id: businesses.id, name: businesses.name }).from(businesses).orderBy(asc(businesses.name), asc(businesses.id)).limit(MAX_LISTED_BUSINESSES),
    include.length > 0 ? db.select({ id: businesses.id, name: businesses.name }).from(businesses).where(inArray(businesses.id, include)) : Promise.resolve([]),
    db.select({ total: count() }).from(businesses),
  ]);
  const listed = new Set(first.map((b) => b.id));
  const missing = extra.filter((b) => !listed.has(b.id));
  const data = missing.length === 0 ? first : [...first, ...missing].sort((a, b) => a.name.localeCompare(b.name, "en") || a.id.localeCompare(b.id));
  return { data, total: totals?.total ?? 0 };
}
