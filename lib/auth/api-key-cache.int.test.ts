import { eq, sql } from "drizzle-orm";
import { afterEach, describe, expect, it, vi } from "vitest";
import { db } from "@/db/client";
import { apiKeys } from "@/db/schema";
import { settleAfterResponse } from "@/lib/after-response";
import { businessWithKey } from "@/testing/fixtures";
import { API_KEY_CACHE_TTL_MS, LAST_USED_INTERVAL_MS, resetApiKeyCache, revokeApiKey, revokeBusinessApiKey, verifyApiKey } from "./api-keys";

/** A revocation by another process: the row changes, this process is not told. */
const revokeElsewhere = (keyId: string) => db.update(apiKeys).set({ revokedAt: sql`now()` }).where(eq(apiKeys.id, keyId));

async function lastUsedAt(keyId: string) {
  await settleAfterResponse();
  const [row] = await db.select({ lastUsedAt: apiKeys.lastUsedAt }).from(apiKeys).where(eq(apiKeys.id, keyId));
  return row!.lastUsedAt;
}

afterEach(() => {
  vi.useRealTimers();
  resetApiKeyCache();
});

describe("verified API keys cached in process (docs/api.md, Auth)", () => {
  it("a key revoked by another process is still accepted within the TTL and refused once it has passed", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const { token, businessId } = await businessWithKey();
    const verified = await verifyApiKey(db, token);
    expect(verified).toMatchObject({ businessId });

    await revokeElsewhere(verified!.keyId);
    vi.setSystemTime(Date.now() + API_KEY_CACHE_TTL_MS - 1_000);
    expect(await verifyApiKey(db, token)).toEqual(verified);
    vi.setSystemTime(Date.now() + 1_000);
    expect(await verifyApiKey(db, token)).toBeNull();
    // A refusal is not cached: the key stays refused.
    expect(await verifyApiKey(db, token)).toBeNull();
  });

  it("a revoke in this process refuses the key at once (CLI revoke and a seller's revoke)", async () => {
    const cli = await businessWithKey();
    const cliKey = await verifyApiKey(db, cli.token);
    expect(await revokeApiKey(db, cli.token.slice(4, 16))).toBe(true);
    expect(await verifyApiKey(db, cli.token)).toBeNull();

    const seller = await businessWithKey();
    const sellerKey = (await verifyApiKey(db, seller.token))!;
    await revokeBusinessApiKey(db, { kind: "user", role: "seller", userId: "u-1", businessId: seller.businessId }, sellerKey.keyId);
    expect(await verifyApiKey(db, seller.token)).toBeNull();
    expect(cliKey).not.toBeNull();
  });

  it("a wrong secret with a live key's prefix is refused even while that key is cached", async () => {
    const { token } = await businessWithKey();
    expect(await verifyApiKey(db, token)).not.toBeNull();
    const forged = `${token.slice(0, 17)}${"A".repeat(32)}`;
    expect(await verifyApiKey(db, forged)).toBeNull();
    expect(await verifyApiKey(db, token)).not.toBeNull();
  });

  it("last_used_at is written after the request, at most once a minute per key and process", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const { token } = await businessWithKey();
    const { keyId } = (await verifyApiKey(db, token))!;
    expect(await lastUsedAt(keyId)).toBeInstanceOf(Date);

    await db.update(apiKeys).set({ lastUsedAt: null }).where(eq(apiKeys.id, keyId));
    for (let i = 0; i < 5; i++) await verifyApiKey(db, token);
    expect(await lastUsedAt(keyId)).toBeNull();

    vi.setSystemTime(Date.now() + LAST_USED_INTERVAL_MS + 1);
    await verifyApiKey(db, token);
    expect(await lastUsedAt(keyId)).toBeInstanceOf(Date);
  });
});
