import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { db } from "@/db/client";
import type { Actor } from "@/lib/auth/actor";
import { verifyApiKey } from "@/lib/auth/api-keys";
import { businessWithKey } from "@/testing/fixtures";
import { createApiKeyServerAction, listApiKeysServerAction, revokeApiKeyServerAction } from "./api-key-actions";

const meta = { ip: null, userAgent: null };
const sellerOf = (businessId: string): Actor => ({ kind: "user", role: "seller", userId: randomUUID(), businessId });

describe("the API keys page's server actions", () => {
  it("create answers the secret once, list shows the key without it, revoke turns the key away at once", async () => {
    const { businessId } = await businessWithKey();
    const caller = { actor: sellerOf(businessId), meta };

    const created = await createApiKeyServerAction.run(caller, { name: " checkout " });
    if (!created.ok) throw new Error(created.error);
    expect(created.data).toMatchObject({ name: "checkout", key: expect.stringMatching(/^cpk_[a-z0-9]{12}_/) });
    expect(await verifyApiKey(db, created.data.key)).toMatchObject({ businessId });

    const listed = await listApiKeysServerAction.run(caller, {});
    if (!listed.ok) throw new Error(listed.error);
    expect(listed.data.map((key) => key.name)).toEqual(["checkout", "default"]);
    expect(JSON.stringify(listed.data)).not.toContain(created.data.key);

    const revoked = await revokeApiKeyServerAction.run(caller, { keyId: created.data.id });
    expect(revoked).toMatchObject({ ok: true, data: { id: created.data.id } });
    expect(await verifyApiKey(db, created.data.key)).toBeNull();
  });

  it("answers field errors for a bad name or id, NOT_FOUND for another business's key, FORBIDDEN for ops", async () => {
    const mine = await businessWithKey();
    const theirs = await businessWithKey();
    const caller = { actor: sellerOf(mine.businessId), meta };

    expect(await createApiKeyServerAction.run(caller, { name: "   " })).toMatchObject({ ok: false, code: "VALIDATION_ERROR", fieldErrors: { name: "Give the key a name" } });
    expect(await revokeApiKeyServerAction.run(caller, { keyId: "nope" })).toMatchObject({ ok: false, code: "VALIDATION_ERROR", fieldErrors: { keyId: "Not an API key id" } });

    const theirKeys = await listApiKeysServerAction.run({ actor: sellerOf(theirs.businessId), meta }, {});
    if (!theirKeys.ok) throw new Error(theirKeys.error);
    expect(await revokeApiKeyServerAction.run(caller, { keyId: theirKeys.data[0]!.id })).toMatchObject({ ok: false, code: "NOT_FOUND" });
    expect(await verifyApiKey(db, theirs.token)).not.toBeNull();

    const ops: Actor = { kind: "user", role: "ops", userId: randomUUID() };
    expect(await listApiKeysServerAction.run({ actor: ops, meta }, {})).toMatchObject({ ok: false, code: "FORBIDDEN" });
  });
});
