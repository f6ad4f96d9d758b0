import { sql } from "drizzle-orm";
import { runPhase, type Answer } from "./load";
import { pgbenchScriptExists, runPgbench } from "./pgbench";
import { cpuNow, expectStatus, httpFigures, type PhaseContext, type Workload } from "./workload";

/**
 * The checkout's phases of `npm run bench:http` on the seeded GENERIC campaign: the internal
 * redeem then apply of a checkout (POST /api/internal/promo/redeem, /apply, as the checkout service
 * calls them with INTERNAL_API_TOKEN: a fresh shopper, checkoutId and orderId per pair) at c=8 and
 * c=32, with pgbench on bench/sql/internal-redeem-{exact,minimal}.sql when those are committed; and
 * the quote (POST /api/coupons/:code/validate with the seller's API key) at c=8 and c=32.
 */

export const INTERNAL_REDEEM_SQL = { exact: "internal-redeem-exact.sql", minimal: "internal-redeem-minimal.sql" } as const;

interface RedeemAnswer {
  result: string;
  reservationId: string | null;
  checkoutId: string;
  discountAmount: number;
}

interface ApplyAnswer {
  checkoutId: string;
  orderId: string;
  redemptions: { status: string; orderId: string | null; discountAmount: number }[];
}

interface QuoteAnswer {
  result: string;
  applicable: boolean;
  discountAmount: number;
}

/** Two lines of the seeded business, 10,000 cents, plus shipping: the GENERIC discount applies in full. */
const cartOf = (businessId: string) => ({
  currency: "USD",
  items: [
    { sku: "bench-a", businessId, unitPrice: 6_000, quantity: 1 },
    { sku: "bench-b", businessId, unitPrice: 2_000, quantity: 2 },
  ],
  shipping: 500,
  taxRate: 0,
});

const parse = <T>(answer: Answer) => JSON.parse(answer.body) as T;

/** Applied reservations and REDEEMED assignments of a book: what a redeem then apply leaves, one of each. */
async function consumed(ctx: PhaseContext, bookId: string) {
  const [row] = (await ctx.db.execute<{ applied: number; redeemed: number }>(sql`
    select (select count(*)::int from redemptions where book_id = ${bookId} and status = 'PR_APPLIED') as applied,
           (select count(*)::int from coupon_assignments where book_id = ${bookId} and status = 'REDEEMED') as redeemed`)) as unknown as [
    { applied: number; redeemed: number },
  ];
  return row;
}

/** Throws unless exactly `expected` checkouts were consumed between the two readings. */
function expectConsumed(what: string, before: { applied: number; redeemed: number }, after: { applied: number; redeemed: number }, expected: number) {
  const applied = after.applied - before.applied;
  const redeemed = after.redeemed - before.redeemed;
  if (applied !== expected || redeemed !== expected) {
    throw new Error(`${what}: ${expected} redeem+apply pairs but ${applied} reservations applied and ${redeemed} assignments REDEEMED`);
  }
}

export function internalWorkloads(ctx: PhaseContext, size: { pairs: number; quotes: number }): Workload[] {
  const { seeded, runTag } = ctx;
  const internal = { authorization: `Bearer ${seeded.internalToken}` };
  const cart = cartOf(seeded.businessId);

  const redeemApply = async (pairs: number, concurrency: number, tag: string) => {
    const cpuBefore = cpuNow(ctx.serverPid);
    const before = await consumed(ctx, seeded.genericBookId);
    const result = await runPhase(
      ctx.baseUrl,
      { total: pairs, concurrency, timeoutMs: ctx.timeoutMs },
      (n) => {
        const checkoutId = `ic-${runTag}-${tag}-${n}`;
        return [
          { method: "POST", path: "/api/internal/promo/redeem", headers: internal, body: { userId: `iu-${runTag}-${tag}-${n}`, code: seeded.genericCode, checkoutId, cart } },
          { method: "POST", path: "/api/internal/promo/apply", headers: internal, body: { checkoutId, orderId: `o-${checkoutId}` } },
        ];
      },
      (n, step, answer) => {
        expectStatus(200, answer);
        const checkoutId = `ic-${runTag}-${tag}-${n}`;
        if (step === 0) {
          const body = parse<RedeemAnswer>(answer);
          if (body.result !== "ACCEPTED" || !body.reservationId || body.checkoutId !== checkoutId || body.discountAmount !== seeded.genericDiscount) {
            throw new Error(`redeem: ${answer.body.slice(0, 300)}`);
          }
        } else {
          const body = parse<ApplyAnswer>(answer);
          const [only, ...more] = body.redemptions;
          if (more.length > 0 || only?.status !== "PR_APPLIED" || only.orderId !== `o-${checkoutId}` || only.discountAmount !== seeded.genericDiscount) {
            throw new Error(`apply: ${answer.body.slice(0, 300)}`);
          }
        }
      },
    );
    const figures = httpFigures(result, cpuBefore, cpuNow(ctx.serverPid), 2);
    expectConsumed("HTTP", before, await consumed(ctx, seeded.genericBookId), result.requests);
    return figures;
  };

  const quote = async (requests: number, concurrency: number, tag: string) => {
    const path = `/api/coupons/${encodeURIComponent(seeded.genericCode)}/validate`;
    const headers = { authorization: `Bearer ${seeded.apiKey}` };
    const users = `vu-${runTag}-${tag}-`;
    const before = cpuNow(ctx.serverPid);
    const result = await runPhase(
      ctx.baseUrl,
      { total: requests, concurrency, timeoutMs: ctx.timeoutMs },
      (n) => [{ method: "POST", path, headers, body: { userId: `${users}${n}`, cart } }],
      (_n, _step, answer) => {
        expectStatus(200, answer);
        const body = parse<QuoteAnswer>(answer);
        if (body.result !== "ACCEPTED" || !body.applicable || body.discountAmount !== seeded.genericDiscount) throw new Error(`validate: ${answer.body.slice(0, 300)}`);
      },
    );
    const figures = httpFigures(result, before, cpuNow(ctx.serverPid), 1);
    // A quote changes nothing: the first-use assignments it made were rolled back with it.
    const [left] = (await ctx.db.execute<{ n: number }>(sql`
      select count(*)::int as n from coupon_assignments where book_id = ${seeded.genericBookId} and starts_with(user_id, ${users})`)) as unknown as [{ n: number }];
    if (left.n !== 0) throw new Error(`validate left ${left.n} assignments behind`);
    return figures;
  };

  const list: Workload[] = [];
  const withSql = pgbenchScriptExists(INTERNAL_REDEEM_SQL.exact) && pgbenchScriptExists(INTERNAL_REDEEM_SQL.minimal);
  for (const concurrency of [8, 32]) {
    const id = `internal-redeem-apply-c${concurrency}`;
    list.push({
      id,
      label: `internal redeem then apply, GENERIC code, c=${concurrency}`,
      concurrency,
      unit: "pairs/s",
      stepNames: ["redeem", "apply"],
      http: (round) => redeemApply(size.pairs, concurrency, `${id}-${round}`),
      ...(concurrency === 8 ? { warm: async () => void (await redeemApply(32, 8, "warm")) } : {}),
      ...(withSql
        ? {
            sql: {
              ...INTERNAL_REDEEM_SQL,
              run: async (script, round, which) => {
                const before = await consumed(ctx, seeded.genericBookId);
                const perClient = Math.ceil(size.pairs / concurrency);
                const result = await runPgbench(ctx.databaseUrl, script, {
                  clients: concurrency,
                  perClient,
                  variables: {
                    n: 0,
                    per_client: perClient,
                    business_id: seeded.businessId,
                    book_id: seeded.genericBookId,
                    key_prefix: seeded.apiKey.split("_")[1]!,
                    code: seeded.genericCode,
                    run: `${runTag}-${id}-${round}-${which}`,
                  },
                });
                // A script that ran but consumed nothing must not pass for throughput.
                expectConsumed(`pgbench ${script}`, before, await consumed(ctx, seeded.genericBookId), result.transactions);
                return result;
              },
            },
          }
        : {}),
    });
  }
  if (!withSql) console.log(`bench/sql/${INTERNAL_REDEEM_SQL.exact} or ${INTERNAL_REDEEM_SQL.minimal} is missing: the internal redeem runs without pgbench`);

  for (const concurrency of [8, 32]) {
    const id = `validate-c${concurrency}`;
    list.push({
      id,
      label: `validate (quote), GENERIC code, c=${concurrency}`,
      concurrency,
      unit: "req/s",
      http: (round) => quote(size.quotes, concurrency, `${id}-${round}`),
      ...(concurrency === 8 ? { warm: async () => void (await quote(32, 8, "warm")) } : {}),
    });
  }
  return list;
}
