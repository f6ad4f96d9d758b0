import { z } from "zod";
import { db } from "@/db/client";
import { createBusinessApiKey, listBusinessApiKeys, revokeBusinessApiKey } from "@/lib/auth/api-keys";
import { CreateApiKeyInput, RevokeApiKeyInput } from "@/lib/auth/schemas";
import { defineServerAction } from "@/lib/http/server-action";

/*
 * The seller console's API key actions (app/seller/api-keys/actions.ts exports them). They live
 * outside lib/auth on purpose: lib/http/server-action imports lib/auth, so defining them there would
 * make lib/auth and lib/http import each other (npm run check:layers).
 * Only sellers: a key belongs to one business, and ops have none (the services refuse them too).
 */

/** The seller's keys, for the page's query to refetch after a create or revoke. */
export const listApiKeysServerAction = defineServerAction({ allow: ["seller"], input: z.object({}) }, async ({ actor }) => listBusinessApiKeys(db, actor));

/** A new key; its secret is in this answer only. */
export const createApiKeyServerAction = defineServerAction({ allow: ["seller"], input: CreateApiKeyInput }, async ({ actor, input }) =>
  createBusinessApiKey(db, actor, input),
);

/** Revokes one of the seller's own keys at once (another business's key is NOT_FOUND). */
export const revokeApiKeyServerAction = defineServerAction({ allow: ["seller"], input: RevokeApiKeyInput }, async ({ actor, input }) =>
  revokeBusinessApiKey(db, actor, input.keyId),
);
