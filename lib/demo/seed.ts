import { and, eq, inArray } from "drizzle-orm";
import type { Actor } from "@/lib/auth/actor";
import { hashPassword } from "@/lib/auth/passwords";
import { createBook } from "@/lib/coupons/create-book";
import { generateCodes } from "@/lib/coupons/generate-codes";
import { CreateBookInput } from "@/lib/coupons/schemas";
import { updateBook } from "@/lib/coupons/update-book";
import type { RequestMeta } from "@/lib/request-meta";
import { createDb, type Db } from "@/db/client";
import { businesses, couponBooks, couponCodes, products, users } from "@/db/schema";
import { seedOpsTraffic } from "./seed-ops-traffic";

export const DEMO_BUSINESS = "Demo Shop";
/** The second seller of the demo store, so that one cart can hold two sellers' items. */
export const DEMO_SECOND_BUSINESS = "Trail Outfitters";
/** Shared by every demo login; documented in the README. Never seed a database that real people use. */
export const DEMO_PASSWORD = "demo1234";
export const DEMO_USERS = [
  { email: "seller@demo.test", name: "Demo Seller", role: "seller", business: DEMO_BUSINESS },
  { email: "ops@demo.test", name: "Demo Ops", role: "ops", business: null },
  { email: "shopper@demo.test", name: "Demo Shopper", role: "shopper", business: null },
  { email: "seller2@demo.test", name: "Trail Seller", role: "seller", business: DEMO_SECOND_BUSINESS },
  { email: "shopper2@demo.test", name: "Second Shopper", role: "shopper", business: null },
] as const;

/** The demo store's catalogue, per seller: sku, name, price in cents. */
const DEMO_PRODUCTS = {
  [DEMO_BUSINESS]: [
    { sku: "TEE-ORG", name: "Organic cotton tee", unitPrice: 2_500, description: "Heavyweight organic cotton, relaxed fit." },
    { sku: "TOTE-CNV", name: "Canvas tote", unitPrice: 1_800, description: "Sturdy 12 oz canvas with an inside pocket." },
    { sku: "MUG-ENM", name: "Enamel mug", unitPrice: 1_200, description: "Camp-style enamel mug, 350 ml." },
  ],
  [DEMO_SECOND_BUSINESS]: [
    { sku: "SOCK-TRL", name: "Trail socks", unitPrice: 1_400, description: "Merino blend, cushioned sole." },
    { sku: "BTL-STL", name: "Steel water bottle", unitPrice: 2_200, description: "Insulated, 750 ml, keeps cold for 24 h." },
    { sku: "LAMP-HD", name: "Headlamp", unitPrice: 3_500, description: "Rechargeable, 400 lumens." },
  ],
} as const;

/** Trail Outfitters' offer: shoppers claim one single-use code each from /shop/offers. */
const DEMO_OFFER_BOOK = { name: "Trail Club 15%", pattern: "TRAIL-{XXXXXX}", codes: 500 } as const;

const DEMO_UNIQUE_BOOK = { name: "Summer 2026", pattern: "SUMMER-{XXXXXX}", codes: 200 } as const;
const DEMO_GENERIC_BOOK = { name: "Welcome 10%", code: "WELCOME10" } as const;

const META: RequestMeta = { ip: null, userAgent: "db/seed" };
// Any fixed number; two processes (dev server start, e2e setup) must not seed at once.
const SEED_LOCK_KEY = 7_311_2025;

export interface SeedSummary {
  businessId: string;
  createdUsers: string[];
  createdBooks: string[];
  generatedCodes: number;
}

async function ensureBusiness(db: Db, name: string) {
  await db.insert(businesses).values({ name }).onConflictDoNothing();
  const [business] = await db.select({ id: businesses.id }).from(businesses).where(eq(businesses.name, name));
  return business!.id;
}

async function ensureUsers(db: Db, businessIds: Record<string, string>) {
  const emails = DEMO_USERS.map((u) => u.email);
  const existing = new Set(
    (await db.select({ email: users.email }).from(users).where(inArray(users.email, emails))).map((u) => u.email),
  );
  const missing = DEMO_USERS.filter((u) => !existing.has(u.email));
  if (missing.length === 0) return [];
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const rows = missing.map(({ business, ...u }) => ({ ...u, passwordHash, businessId: business ? businessIds[business]! : null }));
  const created = await db.insert(users).values(rows).onConflictDoNothing().returning({ email: users.email });
  return created.map((u) => u.email);
}

async function sellerActor(db: Db, email: string, businessId: string): Promise<Actor> {
  const [seller] = await db.select({ id: users.id }).from(users).where(eq(users.email, email));
  return { kind: "user", role: "seller", userId: seller!.id, businessId };
}

async function ensureProducts(db: Db, businessIds: Record<string, string>) {
  const rows = Object.entries(DEMO_PRODUCTS).flatMap(([business, items]) => items.map((item) => ({ ...item, businessId: businessIds[business]! })));
  await db.insert(products).values(rows).onConflictDoNothing();
}

/** "Trail Club 15%": an ACTIVE UNIQUE book of the second seller that shoppers claim themselves. */
async function ensureOfferBook(db: Db, actor: Actor, businessId: string, summary: SeedSummary) {
  const [existing] = await db
    .select({ id: couponBooks.id })
    .from(couponBooks)
    .where(and(eq(couponBooks.businessId, businessId), eq(couponBooks.name, DEMO_OFFER_BOOK.name)));
  if (existing) return;
  const input = CreateBookInput.parse({
    name: DEMO_OFFER_BOOK.name,
    description: "15% off Trail Outfitters gear, one single-use code per shopper. Claim yours on the offers page.",
    discountType: "PERCENT",
    discountValue: 15,
    currency: "USD",
    totalCodesExpected: DEMO_OFFER_BOOK.codes,
    selfServiceClaim: true,
  });
  const created = await createBook(db, actor, input, META);
  await generateCodes(db, actor, { couponBookId: created.id, quantity: DEMO_OFFER_BOOK.codes, pattern: DEMO_OFFER_BOOK.pattern }, META);
  await updateBook(db, actor, created.id, { status: "ACTIVE" }, META);
  summary.createdBooks.push(created.name);
  summary.generatedCodes += DEMO_OFFER_BOOK.codes;
}

/** "Summer 2026": an ACTIVE UNIQUE book, 20% off, 200 generated codes. Tops up and activates a partial one. */
async function ensureUniqueBook(db: Db, actor: Actor, businessId: string, summary: SeedSummary) {
  let [book] = await db
    .select()
    .from(couponBooks)
    .where(and(eq(couponBooks.businessId, businessId), eq(couponBooks.name, DEMO_UNIQUE_BOOK.name)));
  if (!book) {
    const input = CreateBookInput.parse({
      name: DEMO_UNIQUE_BOOK.name,
      description: "Demo campaign: 20% off, one single-use code per shopper.",
      discountType: "PERCENT",
      discountValue: 20,
      currency: "USD",
      totalCodesExpected: DEMO_UNIQUE_BOOK.codes,
    });
    const created = await createBook(db, actor, input, META);
    summary.createdBooks.push(created.name);
    [book] = await db.select().from(couponBooks).where(eq(couponBooks.id, created.id));
  }
  const missing = DEMO_UNIQUE_BOOK.codes - book!.generatedCount;
  if (missing > 0) {
    await generateCodes(db, actor, { couponBookId: book!.id, quantity: missing, pattern: DEMO_UNIQUE_BOOK.pattern }, META);
    summary.generatedCodes += missing;
  }
  // Only a book the seed left in DRAFT is activated: a demo user's pause or archive stays.
  if (book!.status === "DRAFT") await updateBook(db, actor, book!.id, { status: "ACTIVE" }, META);
}

/** WELCOME10: an ACTIVE GENERIC book, 10% off, once per shopper. Found by its public code. */
async function ensureGenericBook(db: Db, actor: Actor, businessId: string, summary: SeedSummary) {
  const [existing] = await db
    .select({ bookId: couponCodes.bookId })
    .from(couponCodes)
    .where(and(eq(couponCodes.businessId, businessId), eq(couponCodes.code, DEMO_GENERIC_BOOK.code)));
  if (existing) return;
  const input = CreateBookInput.parse({
    name: DEMO_GENERIC_BOOK.name,
    description: "Demo public code: 10% off a first order, once per shopper.",
    codeKind: "GENERIC",
    code: DEMO_GENERIC_BOOK.code,
    discountType: "PERCENT",
    discountValue: 10,
    currency: "USD",
  });
  const created = await createBook(db, actor, input, META);
  await updateBook(db, actor, created.id, { status: "ACTIVE" }, META);
  summary.createdBooks.push(created.name);
}

/**
 * Demo data for `npm run dev`, the e2e tests and `npm run db:seed`: two sellers' businesses ("Demo
 * Shop" and "Trail Outfitters") with their products, their sellers, an ops user and two shoppers
 * (password DEMO_PASSWORD), three ACTIVE books, and two weeks of promo traffic for the ops dashboard
 * (seed-ops-traffic.ts). Idempotent: what exists is kept (the traffic is topped up to the present).
 * Books and codes go through the same services as the API; businesses, users, products and the
 * traffic are inserted.
 */
export async function seedDemoData(db: Db): Promise<SeedSummary> {
  const businessId = await ensureBusiness(db, DEMO_BUSINESS);
  const secondBusinessId = await ensureBusiness(db, DEMO_SECOND_BUSINESS);
  const businessIds = { [DEMO_BUSINESS]: businessId, [DEMO_SECOND_BUSINESS]: secondBusinessId };
  const summary: SeedSummary = { businessId, createdUsers: [], createdBooks: [], generatedCodes: 0 };
  summary.createdUsers = await ensureUsers(db, businessIds);
  await ensureProducts(db, businessIds);
  const actor = await sellerActor(db, DEMO_USERS[0].email, businessId);
  await ensureUniqueBook(db, actor, businessId, summary);
  await ensureGenericBook(db, actor, businessId, summary);
  await ensureOfferBook(db, await sellerActor(db, DEMO_USERS[3].email, secondBusinessId), secondBusinessId, summary);
  await seedOpsTraffic(db, { businessId, secondBusinessId });
  return summary;
}

/** Seeds the database at `url` over one connection, under a session advisory lock. */
export async function seedDatabase(url: string): Promise<SeedSummary> {
  const { db, client } = createDb(url, { max: 1 });
  try {
    await client`select pg_advisory_lock(${SEED_LOCK_KEY})`;
    return await seedDemoData(db);
  } finally {
    await client.end({ timeout: 5 });
  }
}

/** Whether the demo business exists (the dev server seeds a database only once). */
export async function hasDemoData(url: string): Promise<boolean> {
  const { db, client } = createDb(url, { max: 1 });
  try {
    const rows = await db.select({ id: businesses.id }).from(businesses).where(eq(businesses.name, DEMO_BUSINESS));
    return rows.length > 0;
  } finally {
    await client.end({ timeout: 5 });
  }
}
