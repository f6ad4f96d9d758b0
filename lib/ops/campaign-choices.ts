import { asc, eq, ilike } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { businesses, couponBooks } from "@/db/schema";
import { escapeLike } from "@/lib/coupons/list-books";

export interface CampaignChoice {
  id: string;
  name: string;
  sellerName: string;
  status: string;
}

/**
 * Campaigns to pick from where a filter takes a campaign id (the ops audit page): those whose name
 * contains `name` case-insensitively (at most `limit`, by name), or the one with `id`. Names only:
 * unlike the campaigns list, codes are not searched, so no answer here confirms a code.
 */
export async function listCampaignChoices(db: DbOrTx, filter: { name: string } | { id: string }, limit = 10): Promise<CampaignChoice[]> {
  return db
    .select({ id: couponBooks.id, name: couponBooks.name, sellerName: businesses.name, status: couponBooks.status })
    .from(couponBooks)
    .innerJoin(businesses, eq(businesses.id, couponBooks.businessId))
    .where("id" in filter ? eq(couponBooks.id, filter.id) : ilike(couponBooks.name, `%${escapeLike(filter.name)}%`))
    .orderBy(asc(couponBooks.name), asc(couponBooks.id))
    .limit(limit);
}
