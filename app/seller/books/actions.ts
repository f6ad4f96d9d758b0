"use server";

import { actionCaller } from "@/lib/http/action-caller";
import { createBookServerAction, generateCodesServerAction, updateBookServerAction } from "@/lib/seller-console/book-form-actions";

// The seller console's book form and generate form (lib/seller-console/book-form-actions.ts; in the authorization matrix).
export async function createBookAction(input: unknown) {
  return createBookServerAction.run(await actionCaller(), input);
}

export async function updateBookAction(input: unknown) {
  return updateBookServerAction.run(await actionCaller(), input);
}

export async function generateCodesAction(input: unknown) {
  return generateCodesServerAction.run(await actionCaller(), input);
}
