import { eq, sql, type SQL, type SQLWrapper } from "drizzle-orm";
import type { DbOrTx, Tx } from "@/db/client";
import { renderedOnce } from "@/db/rendered-once";
import { bookCapUsage as bookCapUsageTable } from "@/db/schema";

/**
 * What counts against a capped book's caps (DESIGN §5.8): applied uses, from the book's
 * book_cap_usage row, plus the reservations still live, found by an index range that skips expired
 * ones (an expired reservation stops counting the moment it expires, with no job). The caller holds
 * the book's cap lock. A book without a counter yet gets one, summed from its ledger while
 * consumptions are held off (`lockCapCounter`), so no apply in flight is missed.
 */
export async function bookCapUsage(tx: Tx, book: { id: string; businessId: string }) {
  let [applied] = await tx.select().from(bookCapUsageTable).where(eq(bookCapUsageTable.bookId, book.id));
  if (!applied) {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext('book-cap-counter'), hashtext(${book.id}))`);
    await tx.execute(sql`
      insert into book_cap_usage (book_id, business_id, applied_uses, applied_discount)
      select ${book.id}, ${book.businessId}, count(*), coalesce(sum(discount_amount), 0)
      from redemptions where book_id = ${book.id} and status = 'PR_APPLIED'
      on conflict (book_id) do nothing`);
    [applied] = await tx.select().from(bookCapUsageTable).where(eq(bookCapUsageTable.bookId, book.id));
  }
  const [live] = await tx.execute<{ uses: number; discount: number }>(sql`
    select count(*)::int as uses, coalesce(sum(discount_amount), 0)::bigint::float8 as discount
    from redemptions where book_id = ${book.id} and status = 'PR_RESERVED' and expires_at > now()`);
  return { uses: applied!.appliedUses + Number(live?.uses ?? 0), discount: applied!.appliedDiscount + Number(live?.discount ?? 0) };
}

/**
 * The shared lock on the book's counter, taken in a statement before the counter's update: it lets
 * consumptions run side by side while a counter being created waits for them, and makes the update
 * see a counter created meanwhile. Take it after the book's cap lock when the transaction takes
 * that too (the counter's creator holds the cap lock while it waits for this one).
 */
export async function holdCapCounter(tx: Tx, bookId: string) {
  await tx.execute(sql`select pg_advisory_xact_lock_shared(hashtext('book-cap-counter'), hashtext(${bookId}))`);
}

/**
 * Counts a consumption (+1) or its revocation (−1) in the book's counter, if the book has one.
 * `counterHeld`: the caller took holdCapCounter already, in an earlier statement.
 */
export async function countAppliedUse(tx: Tx, bookId: string, change: { uses: 1 | -1; discount: number }, options: { counterHeld?: boolean } = {}) {
  if (!options.counterHeld) await holdCapCounter(tx, bookId);
  await renderedOnce(tx, "countAppliedUse", { bookId, uses: change.uses, discount: change.uses * change.discount }, (v) =>
    tx
      .update(bookCapUsageTable)
      .set({
        appliedUses: sql`${bookCapUsageTable.appliedUses} + ${v.uses}`,
        appliedDiscount: sql`${bookCapUsageTable.appliedDiscount} + ${v.discount}`,
        updatedAt: sql`now()`,
      })
      .where(eq(bookCapUsageTable.bookId, v.bookId)),
  );
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

/**
 * The (book, user) lock as an expression, for a statement that takes it along with other work; the
 * book may be a column (`${couponBooks.id}::text`): its text form is the id's canonical spelling.
 */
export const bookUserLock = (bookId: string | SQL, userId: string | SQLWrapper) => sql`pg_advisory_xact_lock(hashtext(${bookId}), hashtext(${userId}))`;

/** Serializes per-(book, user) checks such as max_codes_per_user without touching the book row. */
export async function lockBookUser(db: DbOrTx, bookId: string, userId: string) {
  await db.execute(sql`select ${bookUserLock(bookId, userId)}`);
}
