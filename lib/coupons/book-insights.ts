import { sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import type { PromoResult } from "@/db/schema";
import type { Actor } from "@/lib/auth/actor";
import { getBookOrThrow } from "./access";
import { BOOK_INSIGHT_WINDOWS, type BookInsightsQuery } from "./schemas";

type Funnel = { assigned: number; locked: number; redeemed: number; uses: number; discount: number; reserved_discount: number };
type Bucket = { start: string; redemptions: number; discount: number };
type Refusal = { result: PromoResult; reason: string; attempts: number };

/**
 * What a book's page charts (issue 11), computed here so the charts only draw: the funnel codes →
 * assigned → locked now → redeemed, redemptions and discount per bucket over the window with the
 * budget spent to date, and the mix of refused attempts on the book's codes (by result and reason,
 * from promo_attempts: hashes only, never a code). Live locks and reservations count only while
 * unexpired, as everywhere else (DESIGN §4).
 */
export async function getBookInsights(db: DbOrTx, actor: Actor, bookId: string, query: BookInsightsQuery) {
  const book = await getBookOrThrow(db, actor, bookId);
  const { hours, bucket } = BOOK_INSIGHT_WINDOWS[query.window];
  const window = sql`make_interval(hours => ${hours})`;
  const step = sql`${`1 ${bucket}`}::interval`;
  const [[funnel], buckets, [before], refusals] = await Promise.all([
    db.execute<Funnel>(sql`
      select (select count(*) from coupon_assignments where book_id = ${book.id})::int as assigned,
             (select count(*) from coupon_assignments where book_id = ${book.id} and status = 'LOCKED' and locked_until > now())::int as locked,
             (select count(*) from coupon_assignments where book_id = ${book.id} and redeem_count > 0)::int as redeemed,
             count(*) filter (where status = 'PR_APPLIED')::int as uses,
             coalesce(sum(discount_amount) filter (where status = 'PR_APPLIED'), 0)::bigint::float8 as discount,
             coalesce(sum(discount_amount) filter (where status = 'PR_RESERVED' and expires_at > now()), 0)::bigint::float8 as reserved_discount
      from redemptions where book_id = ${book.id} and status in ('PR_APPLIED', 'PR_RESERVED')`),
    db.execute<Bucket>(sql`
      with buckets as (
        select generate_series(date_trunc(${bucket}, now() - ${window}) + ${step}, date_trunc(${bucket}, now()), ${step}) as start
      )
      select to_char(b.start at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as start,
             count(r.id)::int as redemptions,
             coalesce(sum(r.discount_amount), 0)::bigint::float8 as discount
      from buckets b
      left join redemptions r on r.book_id = ${book.id} and r.status = 'PR_APPLIED' and r.applied_at >= b.start and r.applied_at < b.start + ${step}
      group by b.start order by b.start`),
    db.execute<{ discount: number }>(sql`
      select coalesce(sum(discount_amount), 0)::bigint::float8 as discount from redemptions
      where book_id = ${book.id} and status = 'PR_APPLIED' and applied_at < date_trunc(${bucket}, now() - ${window}) + ${step}`),
    db.execute<Refusal>(sql`
      select result, reason, count(*)::int as attempts from promo_attempts
      where (book_id = ${book.id} or attributed_book_id = ${book.id}) and result <> 'ACCEPTED' and attempted_at > now() - ${window}
      group by result, reason order by attempts desc, result, reason limit 20`),
  ]);
  let spentToDate = Number(before?.discount ?? 0);
  return {
    bookId: book.id,
    window: query.window,
    bucket,
    currency: book.currency,
    funnel: {
      codes: book.generatedCount,
      assigned: Number(funnel?.assigned ?? 0),
      locked: Number(funnel?.locked ?? 0),
      redeemed: Number(funnel?.redeemed ?? 0),
    },
    uses: Number(funnel?.uses ?? 0),
    budget: { cap: book.budgetAmount, spent: Number(funnel?.discount ?? 0), reserved: Number(funnel?.reserved_discount ?? 0) },
    series: [...buckets].map((row) => {
      spentToDate += Number(row.discount);
      return { start: row.start, redemptions: Number(row.redemptions), discount: Number(row.discount), spentToDate };
    }),
    refusals: [...refusals].map((row) => ({ result: row.result, reason: row.reason, attempts: Number(row.attempts) })),
  };
}
export type BookInsightsDto = Awaited<ReturnType<typeof getBookInsights>>;
