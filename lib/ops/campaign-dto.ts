import { sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import type { couponBooks } from "@/db/schema";
import { toBookDto } from "@/lib/coupons/book-dto";
import { genericCodesOf } from "@/lib/coupons/generic-codes";

type BookRow = typeof couponBooks.$inferSelect;

type CodeCounts = { book_id: string; total: number; available: number; assigned: number; disabled: number };
type LedgerCounts = { book_id: string; applied_uses: number; applied_discount: number; live_reservations: number; reserved_discount: number };

/**
 * The usage figures of a page of books in two grouped queries (codes, ledger), whatever the page
 * size. Caps count applied uses plus live reservations, as the checkout does (DESIGN §5.8), so
 * `remaining*` is what a shopper can still get now.
 */
async function usageOf(db: DbOrTx, bookIds: string[]) {
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

/** Books as the ops API shows them: the book fields of the seller API, `resumedAt`, and `usage`. */
export async function toCampaignDtos(db: DbOrTx, books: BookRow[]) {
  const [genericCodes, usage] = await Promise.all([genericCodesOf(db, books), usageOf(db, books.map((b) => b.id))]);
  return books.map((book) => {
    const codes = usage.codes.get(book.id);
    const ledger = usage.ledger.get(book.id);
    const appliedUses = Number(ledger?.applied_uses ?? 0);
    const liveReservations = Number(ledger?.live_reservations ?? 0);
    const discountApplied = Number(ledger?.applied_discount ?? 0);
    const discountReserved = Number(ledger?.reserved_discount ?? 0);
    return {
      ...toBookDto(book, genericCodes.get(book.id) ?? null),
      resumedAt: book.resumedAt?.toISOString() ?? null,
      usage: {
        codes: {
          total: Number(codes?.total ?? 0),
          available: Number(codes?.available ?? 0),
          assigned: Number(codes?.assigned ?? 0),
          disabled: Number(codes?.disabled ?? 0),
        },
        appliedUses,
        liveReservations,
        discountApplied,
        discountReserved,
        remainingRedemptions: book.maxTotalRedemptions === null ? null : Math.max(0, book.maxTotalRedemptions - appliedUses - liveReservations),
        remainingBudget: book.budgetAmount === null ? null : Math.max(0, book.budgetAmount - discountApplied - discountReserved),
      },
    };
  });
}
export type CampaignDto = Awaited<ReturnType<typeof toCampaignDtos>>[number];
