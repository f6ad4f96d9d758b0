import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { db } from "@/db/client";
import { businessWithKey } from "@/testing/fixtures";
import type { Actor } from "./actor";
import { createBusinessApiKey, listBusinessApiKeys, revokeBusinessApiKey, verifyApiKey } from "./api-keys";
import { CreateApiKeyInput } from "./schemas";

const sellerOf = (businessId: string): Actor => ({ kind: "user", role: "seller", userId: randomUUID(), businessId });

describe("a seller's API keys", () => {
  it("creates a key shown once that authenticates, lists it without its secret, and revokes it", async () => {
    const { businessId } = await businessWithKey();
    const seller = sellerOf(businessId);
    const created = await createBusinessApiKey(db, seller, CreateApiKeyInput.parse({ name: " checkout " }));
    expect(created.name).toBe("checkout");
    expect(await verifyApiKey(db, created.key)).toMatchObject({ businessId });

    const listed = await listBusinessApiKeys(db, seller);
    expect(listed.map((key) => key.name)).toEqual(["checkout", "default"]);
    // The secret is what follows `cpk_<prefix>_` (base64url: it may hold "_" itself).
    const secret = created.key.slice(`cpk_${created.prefix}_`.length);
    expect(secret.length).toBeGreaterThanOrEqual(32);
    expect(JSON.stringify(listed)).not.toContain(secret);
    expect(listed[0]).toMatchObject({ id: created.id, prefix: created.prefix, revokedAt: null });

    const revoked = await revokeBusinessApiKey(db, seller, created.id);
    expect(revoked.id).toBe(created.id);
    expect(await verifyApiKey(db, created.key)).toBeNull();
    // Revoking again keeps the first revocation time.
    expect(await revokeBusinessApiKey(db, seller, created.id)).toEqual(revoked);
  });

  it("another business's key is not found, and only sellers manage keys", async () => {
    const mine = await businessWithKey();
    const theirs = await businessWithKey();
    const [theirKey] = await listBusinessApiKeys(db, sellerOf(theirs.businessId));
    await expect(revokeBusinessApiKey(db, sellerOf(mine.businessId), theirKey!.id)).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await verifyApiKey(db, theirs.token)).not.toBeNull();
    for (const actor of [{ kind: "internal" }, { kind: "user", role: "shopper", userId: randomUUID() }, { kind: "user", role: "ops", userId: randomUUID() }] as Actor[]) {
      await expect(listBusinessApiKeys(db, actor)).rejects.toMatchObject({ code: "FORBIDDEN" });
    }
    expect(CreateApiKeyInput.safeParse({ name: "  " }).error?.issues[0]?.message).toBe("Give the key a name");
  });
});
