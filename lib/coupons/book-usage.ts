import { sql } from "drizzle-orm";
import { z } from "zod";
import type { DbOrTx } from "@/db/client";
import type { couponBooks } from "@/db/schema";
import { wireMoney } from "@/lib/wire";

type BookRow = typeof couponBooks.$inferSelect;

type CodeCounts = { book_id: string; total: number; available: number; assigned: number; disabled: number };
type LedgerCounts = { book_id: string; applied_uses: number; applied_discount: number; live_reservations: number; reserved_discount: number };

/**
 * The usage figures of a page of books in two grouped queries (codes, ledger), whatever the page
 * size. Caps count applied uses plus live reservations, as the checkout does (DESIGN §5.8), so
 * `remaining*` is what a shopper can still get now.
 */
async function usageRows(db: DbOrTx, bookIds: string[]) {
  if (bookIds.length === 0) return { codes: new Map<string, CodeCounts>(), ledger: new Map<string, LedgerCounts>() };
  const ids = sql`array[${sql.join(
    bookIds.map((id) => sql`${id}`),
    sql`, `,
  )}]::uuid[]`;
  const [codes, ledger] = await Promise.all([
    db.execute<CodeCounts>(sql`
      select book_id,
             count(*)::int as total,
             count(*) filter (where status = 'AVAILABLE')::int as available,
             count(*) filter (where status = 'ASSIGNED')::int as assigned,
             count(*) filter (where status = 'DISABLED')::int as disabled
      from coupon_codes where book_id = any(${ids})
      group by book_id`),
    db.execute<LedgerCounts>(sql`
      select book_id,
             count(*) filter (where status = 'PR_APPLIED')::int as applied_uses,
             coalesce(sum(discount_amount) filter (where status = 'PR_APPLIED'), 0)::bigint::float8 as applied_discount,
             count(*) filter (where status = 'PR_RESERVED')::int as live_reservations,
             coalesce(sum(discount_amount) filter (where status = 'PR_RESERVED'), 0)::bigint::float8 as reserved_discount
      from redemptions
      where book_id = any(${ids})
        and (status = 'PR_APPLIED' or (status = 'PR_RESERVED' and expires_at > now()))
      group by book_id`),
  ]);
  return { codes: new Map([...codes].map((r) => [r.book_id, r])), ledger: new Map([...ledger].map((r) => [r.book_id, r])) };
}

const count = z.number().int().min(0);

/** A book's usage as the seller console and the ops API show it (see bookUsageOf). */
export const BookUsage = z
  .strictObject({
    codes: z.strictObject({ total: count, available: count, assigned: count, disabled: count }).describe("The book's codes by status"),
    assignments: count.describe("Shoppers holding one of its codes (a GENERIC book: one assignment per shopper)"),
    redeemedAssignments: count.describe("Of those, the ones who used theirs at least once"),
    conversion: z.number().min(0).max(1).nullable().describe("redeemedAssignments ÷ assignments; null when no code is held"),
    appliedUses: count.describe("Uses applied at checkout and not rolled back"),
    liveReservations: count.describe("Uses reserved by a checkout and not yet applied, released or expired"),
    discountApplied: wireMoney.describe("Discount granted by the applied uses, in minor units"),
    discountReserved: wireMoney.describe("Discount held by the live reservations, in minor units"),
    remainingRedemptions: count.nullable().describe("What maxTotalRedemptions leaves once applied uses and live reservations count; null without a cap"),
    remainingBudget: wireMoney.nullable().describe("What budgetAmount leaves once applied and reserved discounts count; null without a budget"),
  })
  .meta({ id: "BookUsage" });
export type BookUsage = z.infer<typeof BookUsage>;

/**
 * The usage of each book of a page, as the seller console and the ops API show it: its codes by
 * status, how many shoppers hold one and how many of those used it (conversion = redeemed ÷
 * assigned), applied uses and discount, live reservations, and what the caps leave (applied plus
 * live reservations count, as the checkout does: DESIGN §5.8).
 */
export async function bookUsageOf(db: DbOrTx, books: BookRow[]) {
  const ids = books.map((b) => b.id);
  const [{ codes, ledger }, holders] = await Promise.all([usageRows(db, ids), holderRows(db, ids)]);
  return new Map(
    books.map((book) => {
      const c = codes.get(book.id);
      const l = ledger.get(book.id);
      const h = holders.get(book.id);
      const appliedUses = Number(l?.applied_uses ?? 0);
      const liveReservations = Number(l?.live_reservations ?? 0);
      const discountApplied = Number(l?.applied_discount ?? 0);
      const discountReserved = Number(l?.reserved_discount ?? 0);
      const assignments = Number(h?.assignments ?? 0);
      const redeemedAssignments = Number(h?.redeemed ?? 0);
      const usage: BookUsage = {
        codes: { total: Number(c?.total ?? 0), available: Number(c?.available ?? 0), assigned: Number(c?.assigned ?? 0), disabled: Number(c?.disabled ?? 0) },
        assignments,
        redeemedAssignments,
        conversion: assignments === 0 ? null : redeemedAssignments / assignments,
        appliedUses,
        liveReservations,
        discountApplied,
        discountReserved,
        remainingRedemptions: book.maxTotalRedemptions === null ? null : Math.max(0, book.maxTotalRedemptions - appliedUses - liveReservations),
        remainingBudget: book.budgetAmount === null ? null : Math.max(0, book.budgetAmount - discountApplied - discountReserved),
      };
      return [book.id, usage] as const;
    }),
  );
}

type HolderCounts = { book_id: string; assignments: number; redeemed: number };

/** Shoppers holding a book's codes (a GENERIC book: one assignment per shopper) and how many used theirs. */
async function holderRows(db: DbOrTx, bookIds: string[]) {
  if (bookIds.length === 0) return new Map<string, HolderCounts>();
  const ids = sql`array[${sql.join(
    bookIds.map((id) => sql`${id}`),
    sql`, `,
  )}]::uuid[]`;
  const rows = await db.execute<HolderCounts>(sql`
    select book_id, count(*)::int as assignments, count(*) filter (where redeem_count > 0)::int as redeemed
    from coupon_assignments where book_id = any(${ids}) group by book_id`);
  return new Map([...rows].map((r) => [r.book_id, r]));
}
