import type { BookStatus } from "@/db/schema";
import { isOperator, type Actor } from "@/lib/auth/actor";
import { AppError } from "@/lib/errors";
import { isPausedByOperator } from "./paused-by";

/** Where each book status may go (DESIGN §4); the rollover job, not a caller, makes a book EXPIRED. */
export const BOOK_TRANSITIONS: Record<BookStatus, readonly BookStatus[]> = {
  DRAFT: ["ACTIVE", "ARCHIVED"],
  ACTIVE: ["PAUSED", "ARCHIVED"],
  PAUSED: ["ACTIVE", "ARCHIVED"],
  EXPIRED: ["ARCHIVED"],
  ARCHIVED: [],
};

/** What the rule reads of a book; `status` is the effective one (a past expiresAt reads EXPIRED). */
export type TransitionBook = { status: BookStatus; codeKind: "UNIQUE" | "GENERIC"; generatedCount: number; pausedBy: string | null };

/**
 * Why this actor may not move the book to `to`, or null when it may. The service throws it and the
 * book page hides the button for it, so the two cannot disagree about what a caller may do.
 */
export function transitionRefusal(actor: Actor, book: TransitionBook, to: BookStatus): AppError | null {
  const from = book.status;
  if (!BOOK_TRANSITIONS[from].includes(to)) {
    return new AppError("INVALID_STATUS_TRANSITION", `${/^[AEIOU]/.test(from) ? "An" : "A"} ${from} book cannot become ${to}`, { status: from, requestedStatus: to });
  }
  if (to === "ACTIVE" && book.codeKind === "UNIQUE" && book.generatedCount === 0) {
    return new AppError("NO_CODES", "Generate or upload codes before activating the book");
  }
  if (from === "PAUSED" && to === "ACTIVE" && isPausedByOperator(book.pausedBy) && !isOperator(actor)) {
    return new AppError("PAUSED_BY_OPS", "This book was paused by ops; only ops can resume it", { pausedBy: book.pausedBy });
  }
  return null;
}

/** The statuses this actor may move the book to now, in the order the page shows their buttons. */
export function allowedTransitions(actor: Actor, book: TransitionBook): BookStatus[] {
  return BOOK_TRANSITIONS[book.status].filter((to) => transitionRefusal(actor, book, to) === null);
}
