import { randomUUID } from "node:crypto";
import { db } from "@/db/client";
import { couponBooks, couponCodes } from "@/db/schema";
import { createApiKey } from "@/lib/auth/api-keys";
import { generateCodes } from "@/lib/coupons/generate-codes";
import { eq } from "drizzle-orm";

/** A business with an API key; the key is what HTTP tests authenticate with. */
export async function businessWithKey(name = `biz-${randomUUID().slice(0, 8)}`) {
  const created = await createApiKey(db, { businessName: name });
  return { businessId: created.businessId, token: created.key, name };
}

const SYSTEM = { kind: "internal" } as const;
const NO_META = { ip: null, userAgent: null };

/**
 * An ACTIVE UNIQUE book with `codes` generated codes, set up through the services (the HTTP
 * surface has its own tests); `overrides` go straight to the row.
 */
export async function activeBook(
  businessId: string,
  options: { codes?: number; pattern?: string; overrides?: Partial<typeof couponBooks.$inferInsert> } = {},
) {
  const [book] = await db
    .insert(couponBooks)
    .values({ businessId, name: "Test book", status: "DRAFT", ...options.overrides })
    .returning();
  const quantity = options.codes ?? 10;
  if (quantity > 0) {
    await generateCodes(db, SYSTEM, { couponBookId: book!.id, quantity, pattern: options.pattern ?? "T-{XXXXXXXX}" }, NO_META);
  }
  const [active] = await db
    .update(couponBooks)
    .set({ status: options.overrides?.status ?? "ACTIVE" })
    .where(eq(couponBooks.id, book!.id))
    .returning();
  return active!;
}

/** An ACTIVE GENERIC book whose public code is `code`; `overrides` go straight to the row. */
export async function genericBook(businessId: string, code: string, overrides: Partial<typeof couponBooks.$inferInsert> = {}) {
  const [book] = await db
    .insert(couponBooks)
    .values({ businessId, name: `Generic ${code}`, codeKind: "GENERIC", generatedCount: 1, ...overrides, status: "DRAFT" })
    .returning();
  await db.insert(couponCodes).values({ businessId, bookId: book!.id, code });
  const [active] = await db
    .update(couponBooks)
    .set({ status: overrides.status ?? "ACTIVE" })
    .where(eq(couponBooks.id, book!.id))
    .returning();
  return active!;
}
