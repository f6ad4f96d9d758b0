"use server";

import { createApiKeyServerAction, listApiKeysServerAction, revokeApiKeyServerAction } from "@/lib/api-keys/api-key-actions";
import { actionCaller } from "@/lib/http/action-caller";

/** The API keys page's actions: each one a route (lib/api-keys/api-key-actions.ts), listed in the authorization matrix. */
export async function listApiKeysAction(input: unknown) {
  return listApiKeysServerAction.run(await actionCaller(), input);
}

export async function createApiKeyAction(input: unknown) {
  return createApiKeyServerAction.run(await actionCaller(), input);
}

export async function revokeApiKeyAction(input: unknown) {
  return revokeApiKeyServerAction.run(await actionCaller(), input);
}
