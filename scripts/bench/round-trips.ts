/**
 * Counts the database round trips of the coupon transitions, the way the routes call them (their
 * services, on one connection of a client built like db/client.ts's): a lock, a redeem, an
 * internal redeem of a GENERIC code (first use), its apply, and an unlock, after one warm-up of
 * each so that prepared statements are in place. A round trip is a burst of writes to PostgreSQL
 * after its last reply: statements pipelined together count once. `--statements` prints the SQL
 * (parameters included) as it is sent, which is how bench/sql/*-exact.sql are captured.
 *
 *   DATABASE_URL=postgres://…/<a scratch database> npx tsx scripts/bench/round-trips.ts [--statements] [--unprepared]
 *
 * The database is migrated and gets a fresh business; use a scratch one. `--unprepared` hands
 * drizzle the bare postgres.js client, as before db/prepared.ts.
 */
import net from "node:net";
import { eq, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { postgresConnection } from "@/db/connection-url";
import { migrateDatabase } from "@/db/migrate";
import { preparingClient } from "@/db/prepared";
import * as schema from "@/db/schema";
import type { Actor } from "@/lib/auth/actor";
import { createApiKey } from "@/lib/auth/api-keys";
import { applyCheckout } from "@/lib/checkout/apply-checkout";
import { redeemPromo } from "@/lib/checkout/redeem-promo";
import { PromoRedeemInput } from "@/lib/checkout/schemas";
import { assignRandomCoupon } from "@/lib/coupons/assign-random";
import { generateCodes } from "@/lib/coupons/generate-codes";
import { lockCoupon } from "@/lib/coupons/lock-coupon";
import { redeemCoupon } from "@/lib/coupons/redeem-coupon";
import { unlockCoupon } from "@/lib/coupons/unlock-coupon";

const META = { ip: null, userAgent: "round-trips" };
const INTERNAL: Actor = { kind: "internal" };
const printStatements = process.argv.includes("--statements");

let counting = false;
let awaitingReply = false;
let roundTrips = 0;
const watched = new WeakSet<net.Socket>();
const write = net.Socket.prototype.write;
net.Socket.prototype.write = function (this: net.Socket, ...args: Parameters<net.Socket["write"]>) {
  // Only the database's TCP socket: stdout may be a socket too.
  if (this.remotePort !== undefined) {
    if (!watched.has(this)) {
      watched.add(this);
      this.on("data", () => (awaitingReply = false));
    }
    if (counting && !awaitingReply) roundTrips++;
    awaitingReply = true;
  }
  return write.apply(this, args);
} as net.Socket["write"];

async function measure<T>(label: string, run: () => Promise<T>, record: boolean) {
  roundTrips = 0;
  counting = record;
  if (record && printStatements) console.log(`-- ${label}`);
  await run();
  counting = false;
  if (record) console.log(`${label}: ${roundTrips} round trips`);
}

async function main() {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL is required (a scratch database: it is migrated and seeded)");
  await migrateDatabase(url);
  const connection = postgresConnection(url);
  const client = postgres(connection.url, {
    ...connection.options,
    max: 1,
    onnotice: () => {},
    debug: (_connection: number, query: string, parameters: unknown[]) => {
      if (counting && printStatements) console.log(`${query.replace(/\s+/g, " ")};  -- ${JSON.stringify(parameters)}`);
    },
  });
  const db = drizzle(process.argv.includes("--unprepared") ? client : preparingClient(client));
  const key = await createApiKey(db, { businessName: `round-trips-${Date.now()}`, name: "round-trips" });
  const apiKey: Actor = { kind: "apiKey", keyId: key.id, businessId: key.businessId };
  const [book] = await db.insert(schema.couponBooks).values({ businessId: key.businessId, name: "round trips", status: "DRAFT" }).returning();
  await generateCodes(db, INTERNAL, { couponBookId: book!.id, quantity: 8, pattern: "RT-{XXXXXXXXXX}" }, META);
  await db.update(schema.couponBooks).set({ status: "ACTIVE" }).where(eq(schema.couponBooks.id, book!.id));
  const [generic] = await db
    .insert(schema.couponBooks)
    .values({ businessId: key.businessId, name: "generic", codeKind: "GENERIC", discountType: "PERCENT", discountValue: 10, status: "ACTIVE", generatedCount: 1 })
    .returning();
  await db.insert(schema.couponCodes).values({ businessId: key.businessId, bookId: generic!.id, code: "WELCOME10" });
  const cart = { currency: "USD", items: [{ sku: "s1", businessId: key.businessId, unitPrice: 5000, quantity: 1 }] };

  for (const record of [false, true]) {
    const run = `${Date.now()}`;
    const { code } = await assignRandomCoupon(db, INTERNAL, { couponBookId: book!.id, userId: `u-${run}` }, META);
    const checkoutId = `c-${run}`;
    await measure("lock", () => lockCoupon(db, apiKey, code, { userId: `u-${run}`, checkoutId }, META), record);
    await measure("redeem", () => redeemCoupon(db, apiKey, code, { userId: `u-${run}`, checkoutId, orderId: `o-${run}` }, META), record);
    const promo = PromoRedeemInput.parse({ userId: `g-${run}`, code: "WELCOME10", checkoutId: `ic-${run}`, cart });
    await measure("internal redeem (GENERIC, first use)", () => redeemPromo(db, INTERNAL, promo, META), record);
    await measure("internal apply", () => applyCheckout(db, INTERNAL, { checkoutId: `ic-${run}`, orderId: `io-${run}` }, META), record);
    const other = await assignRandomCoupon(db, INTERNAL, { couponBookId: book!.id, userId: `w-${run}` }, META);
    await lockCoupon(db, apiKey, other.code, { userId: `w-${run}`, checkoutId: `w-${run}` }, META);
    await measure("unlock", () => unlockCoupon(db, apiKey, other.code, { userId: `w-${run}` }, META), record);
  }
  await db.execute(sql`select 1`);
  await client.end();
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
