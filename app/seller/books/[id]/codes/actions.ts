"use server";

import { actionCaller } from "@/lib/http/action-caller";
import { assignCodeServerAction, assignRandomCodeServerAction, disableCodesServerAction, enableCodesServerAction } from "@/lib/seller-codes/code-actions";

/** Disable the selected codes of a book (lib/seller-codes/code-actions.ts). */
export async function disableCodesAction(input: unknown) {
  return disableCodesServerAction.run(await actionCaller(), input);
}

/** Enable the selected codes of a book again. */
export async function enableCodesAction(input: unknown) {
  return enableCodesServerAction.run(await actionCaller(), input);
}

/** Give a named user a random available code of the book. */
export async function assignRandomCodeAction(input: unknown) {
  return assignRandomCodeServerAction.run(await actionCaller(), input);
}

/** Give a named user one typed code of the book. */
export async function assignCodeAction(input: unknown) {
  return assignCodeServerAction.run(await actionCaller(), input);
}
