"use server";

import { actionCaller } from "@/lib/http/action-caller";
import { setBookStatusServerAction } from "@/lib/book-actions/set-book-status";

/** Activate, pause, resume or archive a book (lib/coupons/book-actions.ts). */
export async function setBookStatusAction(input: unknown) {
  return setBookStatusServerAction.run(await actionCaller(), input);
}
