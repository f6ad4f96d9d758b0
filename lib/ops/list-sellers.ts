import { asc } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { businesses } from "@/db/schema";

/** The most sellers the dashboard's filter offers; past that, the filter is reached by URL or from a row's link. */
export const MAX_LISTED_SELLERS = 500;

export interface SellerOption {
  id: string;
  name: string;
}

/**
 * Sellers (businesses) by name, for the ops dashboard's seller filter: at most MAX_LISTED_SELLERS,
 * with `truncated` saying whether there are more (the page then says so instead of hiding them).
 */
export async function listSellers(db: DbOrTx): Promise<{ sellers: SellerOption[]; truncated: boolean }> {
  const rows = await db
    .select({ id: businesses.id, name: businesses.name })
    .from(businesses)
    .orderBy(asc(businesses.name), asc(businesses.id))
    .limit(MAX_LISTED_SELLERS + 1);
  return { sellers: rows.slice(0, MAX_LISTED_SELLERS), truncated: rows.length > MAX_LISTED_SELLERS };
}
