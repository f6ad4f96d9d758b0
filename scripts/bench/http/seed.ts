import { randomBytes } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { businesses, couponBooks } from "@/db/schema";
import type { Actor } from "@/lib/auth/actor";
import { createApiKey } from "@/lib/auth/api-keys";
import { assignRandomCoupon } from "@/lib/coupons/assign-random";
import { createBook } from "@/lib/coupons/create-book";
import { generateCodes } from "@/lib/coupons/generate-codes";
import { CreateBookInput, UpdateBookInput } from "@/lib/coupons/schemas";
import { updateBook } from "@/lib/coupons/update-book";
import { checkDay, loadDashboardDay, rewindRollups, rollUpDay } from "../dashboard";

/**
 * The books `npm run bench:http` needs, made through the services (never over HTTP, so the
 * server's figures are not warmed by its own seeding): an API key of a fresh business, two
 * random-assignment books, a pool of codes already assigned to distinct users for lock+redeem
 * (HTTP and pgbench take disjoint slices of it), one single-use assigned code per round for the
 * hot-code phase, a GENERIC campaign for the internal redeem and validate, and, in a business of
 * its own, a day of promo attempts for the ops dashboard and the metrics scrape
 * (scripts/bench/dashboard.ts's loader).
 *
 * The internal promo API admits ops sessions and the internal token (OPERATORS): the bench calls it
 * as the checkout service would, with INTERNAL_API_TOKEN, which is a setting, not a row: the seed
 * draws it (and METRICS_TOKEN) and the harness hands both to the server it starts.
 */

const ACTOR: Actor = { kind: "internal" };
const META = { ip: null, userAgent: "bench:http" };

export interface Seeded {
  businessId: string;
  apiKey: string;
  smallBookId: string;
  bigBookId: string;
  bigBookCodes: number;
  poolBookId: string;
  poolSize: number;
  hotCodes: { code: string; userId: string }[];
  internalToken: string;
  metricsToken: string;
  /** GENERIC book (10 % off, once per shopper, no campaign caps) of the business above. */
  genericBookId: string;
  genericCode: string;
  genericDiscount: number;
  /** The business holding the dashboard's day of attempts, and how many attempts that day has. */
  dashboardBusinessId: string;
  dashboardAttempts: number;
}

const GENERIC_CODE = "HG-WELCOME10";
/** 10 % of the bench's one-item cart of 50.00 (internal.ts), as bench/sql/internal-redeem-*.sql quote it. */
const GENERIC_DISCOUNT = 500;

async function genericBook(db: Db, businessId: string) {
  const input = CreateBookInput.parse({
    businessId,
    name: "bench http GENERIC",
    codeKind: "GENERIC",
    code: GENERIC_CODE,
    discountType: "PERCENT",
    discountValue: 10,
    currency: "USD",
  });
  const book = await createBook(db, ACTOR, input, META);
  await updateBook(db, ACTOR, book.id, UpdateBookInput.parse({ status: "ACTIVE" }), META);
  return book.id;
}

/**
 * A day of `attempts` promo attempts (and as many a week earlier, with the ledger and audit rows of
 * its reservations) in a business of its own, then rolled up as the hourly jobs leave it in steady
 * state; the service's 24 h dashboard must count it exactly before any HTTP read is timed.
 */
async function dashboardDay(db: Db, runTag: string, attempts: number) {
  const started = performance.now();
  const [business] = await db.insert(businesses).values({ name: `bench-http-dashboard-${runTag}` }).returning({ id: businesses.id });
  const { from } = await loadDashboardDay(db, business!.id, attempts);
  // The loaded rows are in the past: the rollup cursors go back before them, and the jobs catch up.
  await rewindRollups(db, new Date(Date.parse(from) - 7 * 24 * 3_600_000));
  await rollUpDay(db);
  await checkDay(db, business!.id);
  console.log(`seeded the dashboard's day: ${attempts.toLocaleString("en-US")} attempts, rolled up, in ${((performance.now() - started) / 1000).toFixed(0)} s`);
  return business!.id;
}

async function activeBook(db: Db, businessId: string, name: string, codes: number, pattern: string) {
  const [book] = await db.insert(couponBooks).values({ businessId, name, status: "DRAFT" }).returning();
  await generateCodes(db, ACTOR, { couponBookId: book!.id, quantity: codes, pattern }, META);
  await db.update(couponBooks).set({ status: "ACTIVE" }).where(eq(couponBooks.id, book!.id));
  return book!.id;
}

/** `count` codes of `bookId` assigned one per user (`<prefix>-<i>`), through the random-assignment service, 8 at a time. */
async function assignAll(db: Db, bookId: string, count: number, prefix: string) {
  const assigned: { idx: number; code: string; userId: string }[] = [];
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const idx = next++;
      const userId = `${prefix}-${idx}`;
      const assignment = await assignRandomCoupon(db, ACTOR, { couponBookId: bookId, userId }, META);
      assigned.push({ idx, code: assignment.code, userId });
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  return assigned.sort((a, b) => a.idx - b.idx);
}

export async function seed(db: Db, options: { runTag: string; bigBookCodes: number; poolSize: number; rounds: number; dashboardAttempts: number }): Promise<Seeded> {
  const { runTag } = options;
  const key = await createApiKey(db, { businessName: `bench-http-${runTag}`, name: "bench:http" });
  const smallBookId = await activeBook(db, key.businessId, "bench http 5k", 5_000, "HS-{XXXXXXXXXX}");
  console.log("seeded the 5k-code book");
  const bigBookId = await activeBook(db, key.businessId, `bench http ${options.bigBookCodes}`, options.bigBookCodes, "HB-{XXXXXXXXXX}");
  console.log(`seeded the ${options.bigBookCodes.toLocaleString("en-US")}-code book`);
  const poolBookId = await activeBook(db, key.businessId, "bench http lock+redeem pool", options.poolSize, "HP-{XXXXXXXXXX}");
  const pool = await assignAll(db, poolBookId, options.poolSize, `lr-${runTag}`);
  // pgbench reads its codes by index: the pool as a plain table, one row per assigned code.
  await db.execute(sql`drop table if exists bench_http_pool`);
  await db.execute(sql`create table bench_http_pool (idx int primary key, code text not null, user_id text not null, assignment_id uuid, code_id uuid)`);
  for (let from = 0; from < pool.length; from += 5_000) {
    const slice = pool.slice(from, from + 5_000);
    await db.execute(sql`insert into bench_http_pool (idx, code, user_id)
      select idx, code, "userId" from json_to_recordset(${JSON.stringify(slice)}::json) as t(idx int, code text, "userId" text)`);
  }
  await db.execute(sql`update bench_http_pool p set assignment_id = a.id, code_id = a.code_id
    from coupon_assignments a join coupon_codes c on c.id = a.code_id where a.book_id = ${poolBookId} and c.code = p.code and a.user_id = p.user_id`);
  console.log(`seeded the lock+redeem pool: ${pool.length.toLocaleString("en-US")} assigned codes`);
  const hotBookId = await activeBook(db, key.businessId, "bench http hot codes", options.rounds, "HH-{XXXXXXXXXX}");
  const hotCodes = (await assignAll(db, hotBookId, options.rounds, `hot-${runTag}`)).map(({ code, userId }) => ({ code, userId }));
  const genericBookId = await genericBook(db, key.businessId);
  const dashboardBusinessId = await dashboardDay(db, runTag, options.dashboardAttempts);
  await db.execute(sql`vacuum (analyze) coupon_codes`);
  await db.execute(sql`vacuum (analyze) coupon_assignments`);
  return {
    businessId: key.businessId,
    apiKey: key.key,
    smallBookId,
    bigBookId,
    bigBookCodes: options.bigBookCodes,
    poolBookId,
    poolSize: options.poolSize,
    hotCodes,
    internalToken: randomBytes(24).toString("base64url"),
    metricsToken: randomBytes(24).toString("base64url"),
    genericBookId,
    genericCode: GENERIC_CODE,
    genericDiscount: GENERIC_DISCOUNT,
    dashboardBusinessId,
    dashboardAttempts: options.dashboardAttempts,
  };
}

/**
 * Puts a random-assignment book back as seeded (every code AVAILABLE, no assignment, no audit
 * row), so that each phase, HTTP or pgbench, starts from the same book.
 */
export async function resetAssignmentBook(db: Db, bookId: string) {
  await db.execute(sql`delete from redemption_audit where book_id = ${bookId}`);
  await db.execute(sql`delete from coupon_assignments where book_id = ${bookId}`);
  await db.execute(sql`update coupon_codes set status = 'AVAILABLE' where book_id = ${bookId} and status <> 'AVAILABLE'`);
}
