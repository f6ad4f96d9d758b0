import { sql } from "drizzle-orm";
import { apiRequest } from "@/testing/api/client";
import { runPhase, type Answer } from "./load";
import { pgbenchScriptExists, runPgbench } from "./pgbench";
import { cpuNow, expectStatus, httpFigures, type PhaseContext, type Workload } from "./workload";

/**
 * The checkout's phases of `npm run bench:http` on the seeded GENERIC campaign, as the checkout
 * service calls them with INTERNAL_API_TOKEN: the internal redeem (POST /api/internal/promo/redeem,
 * a fresh shopper and checkoutId per request) at c=8 and c=32, with pgbench on
 * bench/sql/internal-redeem-{exact,minimal}.sql when those are committed; right after each, the
 * apply (POST /api/internal/promo/apply, an orderId per checkout) of the reservations that phase
 * made, at the same concurrency; and the quote (POST /api/coupons/:code/validate with the seller's
 * API key) at c=8 and c=32.
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

/** One item of the seeded business at 50.00, the cart bench/sql/internal-redeem-*.sql quote (10 % off: 5.00). */
const cartOf = (businessId: string) => ({ currency: "USD", items: [{ sku: "s1", businessId, unitPrice: 5_000, quantity: 1 }], shipping: 0, taxRate: 0 });

const parse = <T>(answer: Answer) => JSON.parse(answer.body) as T;

type Ledger = {
  reserved: number;
  locked: number;
  applied: number;
  redeemed: number;
};

/** The campaign's live reservations and LOCKED assignments (what a redeem leaves), applied ones and REDEEMED assignments (what an apply leaves). */
async function ledger(ctx: PhaseContext, bookId: string): Promise<Ledger> {
  const [row] = (await ctx.db.execute<Ledger>(sql`
    select (select count(*)::int from redemptions where book_id = ${bookId} and status = 'PR_RESERVED') as reserved,
           (select count(*)::int from coupon_assignments where book_id = ${bookId} and status = 'LOCKED') as locked,
           (select count(*)::int from redemptions where book_id = ${bookId} and status = 'PR_APPLIED') as applied,
           (select count(*)::int from coupon_assignments where book_id = ${bookId} and status = 'REDEEMED') as redeemed`)) as unknown as [Ledger];
  return row;
}

/** Throws unless the campaign's ledger moved by exactly `expected` reservations (or applies) between the two readings. */
function expectLedger(what: string, step: "redeem" | "apply", before: Ledger, after: Ledger, expected: number) {
  const delta = (key: keyof Ledger) => after[key] - before[key];
  const moved = step === "redeem" ? { reserved: delta("reserved"), locked: delta("locked") } : { applied: delta("applied"), redeemed: delta("redeemed") };
  if (Object.values(moved).some((n) => n !== expected)) throw new Error(`${what}: ${expected} ${step}s but ${JSON.stringify(moved)}`);
}

export function internalWorkloads(ctx: PhaseContext, size: { requests: number; quotes: number }): Workload[] {
  const { seeded, runTag } = ctx;
  const internal = { authorization: `Bearer ${seeded.internalToken}` };
  const cart = cartOf(seeded.businessId);
  /** The checkouts each redeem phase reserved, by tag, for the apply phase that follows it. */
  const reservedBy = new Map<string, string[]>();

  const redeem = async (requests: number, concurrency: number, tag: string) => {
    const reserved: string[] = [];
    reservedBy.set(tag, reserved);
    const cpuBefore = cpuNow(ctx.serverPid);
    const before = await ledger(ctx, seeded.genericBookId);
    const checkoutOf = (n: number) => `ic-${runTag}-${tag}-${n}`;
    const result = await runPhase(
      ctx.baseUrl,
      { total: requests, concurrency, timeoutMs: ctx.timeoutMs },
      (n) => [
        apiRequest("post", "/api/internal/promo/redeem", { headers: internal, body: { userId: `iu-${runTag}-${tag}-${n}`, code: seeded.genericCode, checkoutId: checkoutOf(n), cart } }),
      ],
      (n, _step, answer) => {
        expectStatus(200, answer);
        const body = parse<RedeemAnswer>(answer);
        if (body.result !== "ACCEPTED" || !body.reservationId || body.checkoutId !== checkoutOf(n) || body.discountAmount !== seeded.genericDiscount) {
          throw new Error(`redeem: ${answer.body.slice(0, 300)}`);
        }
        reserved.push(body.checkoutId);
      },
    );
    const figures = httpFigures(result, cpuBefore, cpuNow(ctx.serverPid), 1);
    expectLedger("HTTP", "redeem", before, await ledger(ctx, seeded.genericBookId), result.requests);
    return figures;
  };

  const apply = async (concurrency: number, tag: string) => {
    const checkouts = reservedBy.get(tag);
    if (!checkouts?.length) throw new Error(`apply ${tag}: no reservation of a redeem phase to apply`);
    const cpuBefore = cpuNow(ctx.serverPid);
    const before = await ledger(ctx, seeded.genericBookId);
    const result = await runPhase(
      ctx.baseUrl,
      { total: checkouts.length, concurrency, timeoutMs: ctx.timeoutMs },
      (n) => [apiRequest("post", "/api/internal/promo/apply", { headers: internal, body: { checkoutId: checkouts[n]!, orderId: `o-${checkouts[n]!}` } })],
      (n, _step, answer) => {
        expectStatus(200, answer);
        const body = parse<ApplyAnswer>(answer);
        const [only, ...more] = body.redemptions;
        if (more.length > 0 || only?.status !== "PR_APPLIED" || only.orderId !== `o-${checkouts[n]!}` || only.discountAmount !== seeded.genericDiscount) {
          throw new Error(`apply: ${answer.body.slice(0, 300)}`);
        }
      },
    );
    const figures = httpFigures(result, cpuBefore, cpuNow(ctx.serverPid), 1);
    expectLedger("HTTP", "apply", before, await ledger(ctx, seeded.genericBookId), result.requests);
    return figures;
  };

  const quote = async (requests: number, concurrency: number, tag: string) => {
    const headers = { authorization: `Bearer ${seeded.apiKey}` };
    const users = `vu-${runTag}-${tag}-`;
    const before = cpuNow(ctx.serverPid);
    const result = await runPhase(
      ctx.baseUrl,
      { total: requests, concurrency, timeoutMs: ctx.timeoutMs },
      (n) => [apiRequest("post", "/api/coupons/{code}/validate", { path: { code: seeded.genericCode }, headers, body: { userId: `${users}${n}`, cart } })],
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
    const id = `internal-redeem-c${concurrency}`;
    // Each apply phase follows its redeem phase at once: their reservations live lock_ttl_seconds (300 s).
    list.push(
      {
        id,
        label: `internal redeem, GENERIC code, c=${concurrency}`,
        concurrency,
        unit: "req/s",
        http: (round) => redeem(size.requests, concurrency, `${id}-${round}`),
        ...(concurrency === 8
          ? {
              warm: async () => {
                await redeem(32, 8, "warm");
                await apply(8, "warm");
              },
            }
          : {}),
        ...(withSql
          ? {
              sql: {
                ...INTERNAL_REDEEM_SQL,
                run: async (script, round, which) => {
                  const before = await ledger(ctx, seeded.genericBookId);
                  const result = await runPgbench(ctx.databaseUrl, script, {
                    clients: concurrency,
                    perClient: Math.ceil(size.requests / concurrency),
                    variables: { n: 0, business_id: seeded.businessId, book_id: seeded.genericBookId, code: seeded.genericCode, run: `${runTag}-${id}-${round}-${which}` },
                  });
                  // A script that ran but reserved nothing must not pass for throughput.
                  expectLedger(`pgbench ${script}`, "redeem", before, await ledger(ctx, seeded.genericBookId), result.transactions);
                  return result;
                },
              },
            }
          : {}),
      },
      {
        id: `internal-apply-c${concurrency}`,
        label: `internal apply of those reservations, c=${concurrency}`,
        concurrency,
        unit: "req/s",
        http: (round) => apply(concurrency, `${id}-${round}`),
      },
    );
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
