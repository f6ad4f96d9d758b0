import { eq, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { couponBooks } from "@/db/schema";
import type { Actor } from "@/lib/auth/actor";
import { createApiKey } from "@/lib/auth/api-keys";
import { assignRandomCoupon } from "@/lib/coupons/assign-random";
import { generateCodes } from "@/lib/coupons/generate-codes";

/**
 * The books `npm run bench:http` needs, made through the services (never over HTTP, so the
 * server's figures are not warmed by its own seeding): an API key of a fresh business, two
 * random-assignment books, a pool of codes already assigned to distinct users for lock+redeem
 * (HTTP and pgbench take disjoint slices of it), and one single-use assigned code per round for the
 * hot-code phase.
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

export async function seed(db: Db, options: { runTag: string; bigBookCodes: number; poolSize: number; rounds: number }): Promise<Seeded> {
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
  await db.execute(sql`vacuum (analyze) coupon_codes`);
  await db.execute(sql`vacuum (analyze) coupon_assignments`);
  return { businessId: key.businessId, apiKey: key.key, smallBookId, bigBookId, bigBookCodes: options.bigBookCodes, poolBookId, poolSize: options.poolSize, hotCodes };
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
