import { randomUUID } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import { createDb, type Db } from "@/db/client";
import { businesses, products, redemptions, users } from "@/db/schema";
import type { ShopperActor } from "@/lib/auth/actor";
import { hashPassword } from "@/lib/auth/passwords";
import { createBook } from "@/lib/coupons/create-book";
import { CreateBookInput } from "@/lib/coupons/schemas";
import { updateBook } from "@/lib/coupons/update-book";
import { DEMO_BUSINESS, DEMO_PASSWORD } from "@/lib/demo/seed";
import { writeCartLine } from "@/lib/shop/cart";

/**
 * The shop specs' data, through the services on the server's database (e2e/global-setup.ts seeded
 * it). Each spec signs in as a shopper of its own (password demo1234): the demo shoppers' carts and
 * their one use of WELCOME10 would otherwise depend on which spec ran before, and on earlier runs.
 */
export function shopDb() {
  return createDb(process.env.DATABASE_URL!, { max: 4 });
}

const META = { ip: null, userAgent: "e2e" };

/** A new shopper account; sign in with its email and the demo password. */
export async function newShopper(db: Db, label: string): Promise<{ email: string; actor: ShopperActor }> {
  const email = `${label}-${randomUUID().slice(0, 8)}@e2e.test`;
  const [user] = await db
    .insert(users)
    .values({ email, name: `E2E ${label}`, role: "shopper", passwordHash: await hashPassword(DEMO_PASSWORD) })
    .returning({ id: users.id });
  return { email, actor: { kind: "user", role: "shopper", userId: user!.id } };
}

/** Puts demo products (by sku) in the shopper's cart, as the product page's Add button does. */
export async function fillCart(db: Db, shopper: ShopperActor, lines: Record<string, number>) {
  for (const [sku, quantity] of Object.entries(lines)) {
    const [product] = await db.select({ id: products.id }).from(products).where(eq(products.sku, sku));
    await writeCartLine(db, shopper, product!.id, quantity);
  }
}

/** A fresh ACTIVE GENERIC book of Demo Shop (10 % off), created by its seller through the coupon services. */
export async function demoShopGenericBook(db: Db, options: { lockTtlSeconds?: number; maxTotalRedemptions?: number; maxRedeemsPerUser?: number } = {}) {
  const [business] = await db.select({ id: businesses.id }).from(businesses).where(eq(businesses.name, DEMO_BUSINESS));
  const [seller] = await db.select({ id: users.id }).from(users).where(eq(users.email, "seller@demo.test"));
  const actor = { kind: "user", role: "seller", userId: seller!.id, businessId: business!.id } as const;
  const code = `E2E${randomUUID().replaceAll("-", "").slice(0, 8).toUpperCase()}`;
  const input = CreateBookInput.parse({ name: `E2E ${code}`, codeKind: "GENERIC", code, discountType: "PERCENT", discountValue: 10, currency: "USD", ...options });
  const book = await createBook(db, actor, input, META);
  await updateBook(db, actor, book.id, { status: "ACTIVE" }, META);
  return { id: book.id, code };
}

/** How many uses of the book were consumed (PR_APPLIED redemptions). */
export async function appliedCount(db: Db, bookId: string) {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(redemptions)
    .where(and(eq(redemptions.bookId, bookId), eq(redemptions.status, "PR_APPLIED")));
  return row!.n;
}
