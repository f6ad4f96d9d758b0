"use server";

import { actionCaller } from "@/lib/http/action-caller";
import { createBookServerAction, startCodeGenerationServerAction, updateBookServerAction } from "@/lib/seller-console/book-form-actions";

// The seller console's book form and generate form (lib/seller-console/book-form-actions.ts; in the authorization matrix).
export async function createBookAction(input: unknown) {
  return createBookServerAction.run(await actionCaller(), input);
}

export async function updateBookAction(input: unknown) {
  return updateBookServerAction.run(await actionCaller(), input);
}

export async function startCodeGenerationAction(input: unknown) {
  return startCodeGenerationServerAction.run(await actionCaller(), input);
}
