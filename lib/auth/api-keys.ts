import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { and, desc, eq, isNull, lt, or, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { apiKeys, businesses } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { afterResponse } from "@/lib/after-response";
import type { Actor } from "./actor";
import type { ApiKeySummary, CreateApiKeyInput, CreatedApiKey } from "./schemas";
import { TtlCache } from "./ttl-cache";

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

/**
 * How long a process trusts a key it verified without asking the database again: the bound on how
 * long a key revoked by another process (or another instance) keeps working here. A revoke in this
 * process (revokeApiKey, revokeBusinessApiKey) evicts the key at once. Documented in docs/api.md.
 */
export const API_KEY_CACHE_TTL_MS = 30_000;
/** How many verified keys a process keeps (least recently used dropped first). */
const API_KEY_CACHE_MAX = 1_000;
/** A process writes a key's last_used_at at most once per this interval. */
export const LAST_USED_INTERVAL_MS = 60_000;

interface VerifiedKey {
  keyId: string;
  businessId: string;
}

/**
 * One pair of caches per process, on globalThis: Next bundles route handlers and server actions
 * separately, each with its own copy of this module, and the seller page's revoke (a server action)
 * must evict what the API routes verified.
 */
const processWide = globalThis as unknown as {
  couponApiKeyCaches?: { verified: TtlCache<VerifiedKey>; touched: TtlCache<true> };
};
processWide.couponApiKeyCaches ??= {
  verified: new TtlCache<VerifiedKey>(API_KEY_CACHE_MAX, API_KEY_CACHE_TTL_MS),
  touched: new TtlCache<true>(API_KEY_CACHE_MAX * 10, LAST_USED_INTERVAL_MS),
};
/** Verified keys by the sha256 of the token (never the token itself). */
const verifiedKeys = processWide.couponApiKeyCaches.verified;
/** Keys whose last_used_at this process wrote within the interval. */
const recentlyTouched = processWide.couponApiKeyCaches.touched;

/** Forgets the verified keys and last_used writes of this process (tests). */
export function resetApiKeyCache() {
  verifiedKeys.clear();
  recentlyTouched.clear();
}

const forgetKeys = (keyIds: string[]) => {
  if (keyIds.length > 0) verifiedKeys.deleteWhere((key) => keyIds.includes(key.keyId));
};

/**
 * last_used_at off the request path: at most one write per key per process a minute, after the
 * response (afterResponse: a failure is logged, and costs nothing else, the column is
 * informational); the row's own condition keeps several processes to about one write a minute too.
 */
function touchLastUsed(db: DbOrTx, keyId: string) {
  if (recentlyTouched.get(keyId)) return;
  recentlyTouched.set(keyId, true);
  afterResponse("api-key-last-used", () =>
    db
      .update(apiKeys)
      .set({ lastUsedAt: sql`now()` })
      .where(and(eq(apiKeys.id, keyId), or(isNull(apiKeys.lastUsedAt), lt(apiKeys.lastUsedAt, sql`now() - interval '1 minute'`)))),
  );
}

/** Revokes by id or prefix; returns whether a live key was revoked. This process stops accepting it at once. */
export async function revokeApiKey(db: DbOrTx, idOrPrefix: string) {
  const isUuid = /^[0-9a-f-]{36}$/i.test(idOrPrefix);
  const rows = await db
    .update(apiKeys)
    .set({ revokedAt: new Date() })
    .where(and(isUuid ? eq(apiKeys.id, idOrPrefix) : eq(apiKeys.prefix, idOrPrefix), isNull(apiKeys.revokedAt)))
    .returning({ id: apiKeys.id });
  forgetKeys(rows.map((row) => row.id));
  return rows.length > 0;
}

/**
 * Resolves a presented key to its business, or null (unknown, malformed or revoked). A verified key
 * is trusted from memory for API_KEY_CACHE_TTL_MS (one SELECT per key per process per TTL instead
 * of one per request); its last_used_at is written off the request path (touchLastUsed). Unknown
 * and revoked keys are not cached: each such request asks the database.
 */
export async function verifyApiKey(db: DbOrTx, token: string): Promise<VerifiedKey | null> {
  const parts = splitKey(token);
  if (!parts) return null;
  const hash = sha256(token);
  const cached = verifiedKeys.get(hash);
  if (cached) {
    touchLastUsed(db, cached.keyId);
    return cached;
  }
  const [row] = await db
    .select({ id: apiKeys.id, businessId: apiKeys.businessId, hash: apiKeys.hash })
    .from(apiKeys)
    .where(and(eq(apiKeys.prefix, parts.prefix), isNull(apiKeys.revokedAt)));
  if (!row) return null;
  if (!timingSafeEqual(Buffer.from(hash, "hex"), Buffer.from(row.hash, "hex"))) return null;
  const verified = { keyId: row.id, businessId: row.businessId };
  verifiedKeys.set(hash, verified);
  touchLastUsed(db, row.id);
  return verified;
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

/** Revokes one of the seller's own keys (refused by this process at once); another business's key is not found, like one that does not exist. */
export async function revokeBusinessApiKey(db: DbOrTx, actor: Actor, keyId: string) {
  const businessId = keyOwner(actor);
  const [row] = await db
    .update(apiKeys)
    .set({ revokedAt: sql`coalesce(${apiKeys.revokedAt}, now())` })
    .where(and(eq(apiKeys.id, keyId), eq(apiKeys.businessId, businessId)))
    .returning({ id: apiKeys.id, revokedAt: apiKeys.revokedAt });
  if (!row) throw new AppError("NOT_FOUND", "API key not found");
  forgetKeys([row.id]);
  return { id: row.id, revokedAt: row.revokedAt!.toISOString() };
}
