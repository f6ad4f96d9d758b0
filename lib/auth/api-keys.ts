import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { and, desc, eq, isNull, lt, or, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { apiKeys, businesses } from "@/db/schema";
import { AppError } from "@/lib/errors";

const API_KEY_PREFIX = "cpk_";

const sha256 = (value: string) => createHash("sha256").update(value).digest("hex");

/** Parses `cpk_<prefix>_<secret>`; anything else is not an API key. */
function splitKey(token: string): { prefix: string } | null {
  const match = /^cpk_([a-z0-9]{12})_[A-Za-z0-9_-]{32,}$/.exec(token);
  return match ? { prefix: match[1]! } : null;
}

export const looksLikeApiKey = (token: string) => token.startsWith(API_KEY_PREFIX);

/** Creates a key for a business (created when missing). The secret is returned once, never stored. */
export async function createApiKey(db: DbOrTx, input: { businessName: string; name?: string }) {
  return db.transaction(async (tx) => {
    await tx.insert(businesses).values({ name: input.businessName }).onConflictDoNothing();
    const [business] = await tx.select().from(businesses).where(eq(businesses.name, input.businessName));
    if (!business) throw new AppError("INTERNAL_ERROR", "Business could not be created");
    const prefix = randomBytes(9).toString("base64url").toLowerCase().replace(/[^a-z0-9]/g, "0").slice(0, 12);
    const secret = randomBytes(24).toString("base64url");
    const key = `${API_KEY_PREFIX}${prefix}_${secret}`;
    const [row] = await tx
      .insert(apiKeys)
      .values({ businessId: business.id, name: input.name ?? "default", prefix, hash: sha256(key) })
      .returning({ id: apiKeys.id, createdAt: apiKeys.createdAt });
    return { id: row!.id, key, prefix, businessId: business.id, businessName: business.name };
  });
}

export async function listApiKeys(db: DbOrTx, filter: { businessName?: string } = {}) {
  return db
    .select({
      id: apiKeys.id,
      name: apiKeys.name,
      prefix: apiKeys.prefix,
      business: businesses.name,
      businessId: apiKeys.businessId,
      lastUsedAt: apiKeys.lastUsedAt,
      revokedAt: apiKeys.revokedAt,
      createdAt: apiKeys.createdAt,
    })
    .from(apiKeys)
    .innerJoin(businesses, eq(businesses.id, apiKeys.businessId))
    .where(filter.businessName ? eq(businesses.name, filter.businessName) : undefined)
    .orderBy(desc(apiKeys.createdAt));
}

/** Revokes by id or prefix; returns whether a live key was revoked. */
export async function revokeApiKey(db: DbOrTx, idOrPrefix: string) {
  const isUuid = /^[0-9a-f-]{36}$/i.test(idOrPrefix);
  const rows = await db
    .update(apiKeys)
    .set({ revokedAt: new Date() })
    .where(and(isUuid ? eq(apiKeys.id, idOrPrefix) : eq(apiKeys.prefix, idOrPrefix), isNull(apiKeys.revokedAt)))
    .returning({ id: apiKeys.id });
  return rows.length > 0;
}

/** Resolves a presented key to its business, or null (unknown, malformed or revoked). */
export async function verifyApiKey(db: DbOrTx, token: string) {
  const parts = splitKey(token);
  if (!parts) return null;
  const [row] = await db
    .select({ id: apiKeys.id, businessId: apiKeys.businessId, hash: apiKeys.hash })
    .from(apiKeys)
    .where(and(eq(apiKeys.prefix, parts.prefix), isNull(apiKeys.revokedAt)));
  if (!row) return null;
  const presented = Buffer.from(sha256(token), "hex");
  if (!timingSafeEqual(presented, Buffer.from(row.hash, "hex"))) return null;
  // At most one write a minute per key: a hot key must not turn every request into a row update.
  await db
    .update(apiKeys)
    .set({ lastUsedAt: sql`now()` })
    .where(
      and(eq(apiKeys.id, row.id), or(isNull(apiKeys.lastUsedAt), lt(apiKeys.lastUsedAt, sql`now() - interval '1 minute'`))),
    );
  return { keyId: row.id, businessId: row.businessId };
}
