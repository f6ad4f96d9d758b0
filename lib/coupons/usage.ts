import { sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";

/**
 * Redemptions that count against a book's caps: applied ones plus reservations still live
 * (DESIGN §5.8). An expired reservation stops counting the moment it expires, with no job.
 */
export async function bookCapUsage(db: DbOrTx, bookId: string) {
  const [row] = await db.execute<{ uses: number; discount: number }>(sql`
    select count(*)::int as uses, coalesce(sum(discount_amount), 0)::bigint::float8 as discount
    from redemptions
    where book_id = ${bookId}
      and (status = 'PR_APPLIED' or (status = 'PR_RESERVED' and expires_at > now()))`);
  return { uses: Number(row?.uses ?? 0), discount: Number(row?.discount ?? 0) };
}

/** The most codes one user holds in the book, and the most uses one assignment has consumed. */
export async function bookAssignmentUsage(db: DbOrTx, bookId: string) {
  const [row] = await db.execute<{ max_per_user: number; max_redeems: number }>(sql`
    select coalesce(max(per_user), 0)::int as max_per_user, coalesce(max(max_redeems), 0)::int as max_redeems
    from (
      select count(*) as per_user, max(redeem_count) as max_redeems
      from coupon_assignments where book_id = ${bookId} group by user_id
    ) usage`);
  return { maxCodesPerUser: Number(row?.max_per_user ?? 0), maxRedeemsPerUser: Number(row?.max_redeems ?? 0) };
}

/** Serializes cap checks of one capped book; uncapped books never take it (DESIGN §5). */
export async function lockBookCaps(db: DbOrTx, bookId: string) {
  await db.execute(sql`select pg_advisory_xact_lock(hashtext('book-caps'), hashtext(${bookId}))`);
}

/** Serializes per-(book, user) checks such as max_codes_per_user without touching the book row. */
export async function lockBookUser(db: DbOrTx, bookId: string, userId: string) {
  await db.execute(sql`select pg_advisory_xact_lock(hashtext(${bookId}), hashtext(${userId}))`);
}
