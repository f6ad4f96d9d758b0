import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { and, desc, eq, isNull, lt, or, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { apiKeys, businesses } from "@/db/schema";
import { AppError } from "@/lib/errors";
import type { Actor } from "./actor";
import type { ApiKeySummary, CreateApiKeyInput, CreatedApiKey } from "./schemas";

const API_KEY_PREFIX = "cpk_";

const sha256 = (value: string) => createHash("sha256").update(value).digest("hex");

/** Parses `cpk_<prefix>_<secret>`; anything else is not an API key. */
function splitKey(token: string): { prefix: string } | null {
  const match = /^cpk_([a-z0-9]{12})_[A-Za-z0-9_-]{32,}$/.exec(token);
  return match ? { prefix: match[1]! } : null;
}

export const looksLikeApiKey = (token: string) => token.startsWith(API_KEY_PREFIX);

/** A new key of a business: the secret is returned once and only its hash is stored. */
async function insertKey(db: DbOrTx, businessId: string, name: string) {
  const prefix = randomBytes(9).toString("base64url").toLowerCase().replace(/[^a-z0-9]/g, "0").slice(0, 12);
  const secret = randomBytes(24).toString("base64url");
  const key = `${API_KEY_PREFIX}${prefix}_${secret}`;
  const [row] = await db
    .insert(apiKeys)
    .values({ businessId, name, prefix, hash: sha256(key) })
    .returning({ id: apiKeys.id, createdAt: apiKeys.createdAt });
  return { id: row!.id, key, prefix, createdAt: row!.createdAt };
}

/** Creates a key for a business (created when missing), for the CLI. The secret is returned once, never stored. */
export async function createApiKey(db: DbOrTx, input: { businessName: string; name?: string }) {
  return db.transaction(async (tx) => {
    await tx.insert(businesses).values({ name: input.businessName }).onConflictDoNothing();
    const [business] = await tx.select().from(businesses).where(eq(businesses.name, input.businessName));
    if (!business) throw new AppError("INTERNAL_ERROR", "Business could not be created");
    const created = await insertKey(tx, business.id, input.name ?? "default");
    return { id: created.id, key: created.key, prefix: created.prefix, businessId: business.id, businessName: business.name };
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

/** The business whose keys a seller manages: only sellers manage keys, and only their own business's. */
function keyOwner(actor: Actor): string {
  if (actor.kind !== "user" || actor.role !== "seller") throw new AppError("FORBIDDEN", "Only sellers manage their API keys");
  return actor.businessId;
}

const keyView = {
  id: apiKeys.id,
  name: apiKeys.name,
  prefix: apiKeys.prefix,
  lastUsedAt: apiKeys.lastUsedAt,
  revokedAt: apiKeys.revokedAt,
  createdAt: apiKeys.createdAt,
};

/** The seller's API keys, newest first, live and revoked (prefix, name, created, last used; never a secret). */
export async function listBusinessApiKeys(db: DbOrTx, actor: Actor): Promise<ApiKeySummary[]> {
  const businessId = keyOwner(actor);
  const rows = await db.select(keyView).from(apiKeys).where(eq(apiKeys.businessId, businessId)).orderBy(desc(apiKeys.createdAt), desc(apiKeys.id));
  return rows.map((row) => ({
    ...row,
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    revokedAt: row.revokedAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
  }));
}

/** A new key of the seller's business; the secret is in this answer only. */
export async function createBusinessApiKey(db: DbOrTx, actor: Actor, input: CreateApiKeyInput): Promise<CreatedApiKey> {
  const created = await insertKey(db, keyOwner(actor), input.name);
  return { id: created.id, name: input.name, prefix: created.prefix, key: created.key, createdAt: created.createdAt.toISOString() };
}

/** Revokes one of the seller's own keys; another business's key is not found, like one that does not exist. */
export async function revokeBusinessApiKey(db: DbOrTx, actor: Actor, keyId: string) {
  const businessId = keyOwner(actor);
  const [row] = await db
    .update(apiKeys)
    .set({ revokedAt: sql`coalesce(${apiKeys.revokedAt}, now())` })
    .where(and(eq(apiKeys.id, keyId), eq(apiKeys.businessId, businessId)))
    .returning({ id: apiKeys.id, revokedAt: apiKeys.revokedAt });
  if (!row) throw new AppError("NOT_FOUND", "API key not found");
  return { id: row.id, revokedAt: row.revokedAt!.toISOString() };
}
