import { db } from "@/db/client";
import { defineServerAction } from "@/lib/http/server-action";
import { UpdateBookFormInput } from "@/lib/coupons/book-form";
import { createBook } from "@/lib/coupons/create-book";
import { advanceGenerationRun, startCodeGeneration } from "@/lib/coupons/generation-runs";
import { afterResponse } from "@/lib/after-response";
import { CreateBookInput, StartGenerationInput } from "@/lib/coupons/schemas";
import { updateBook } from "@/lib/coupons/update-book";

/*
 * The seller console's book actions (outside lib/coupons: lib/http's route machinery reaches back
 * into lib/coupons through metrics, so server actions there would close an import cycle) (DESIGN §2: a server action is a route): the API's schemas, one
 * service call each. The "use server" exports live under app/seller/books/.
 */

/** Creates a DRAFT book for the seller's own business: the business comes from the session, never the form. */
export const createBookServerAction = defineServerAction({ allow: ["seller"], input: CreateBookInput }, async ({ actor, input, meta }) =>
  createBook(db, actor, { ...input, businessId: undefined }, meta),
);

/** Edits a book the caller may see (a seller's own, any for ops); limits never go below usage. */
export const updateBookServerAction = defineServerAction({ allow: ["seller", "ops"], input: UpdateBookFormInput }, async ({ actor, input, meta }) =>
  updateBook(db, actor, input.bookId, input.changes, meta),
);

/**
 * Starts a background generation (the API's POST /api/coupon-codes/generation-runs): the form polls
 * the run's progress, and leaving the page neither stops it nor, with the form's requestKey, repeats it.
 */
export const startCodeGenerationServerAction = defineServerAction({ allow: ["seller", "ops"], input: StartGenerationInput }, async ({ actor, input, meta }) => {
  const run = await startCodeGeneration(db, actor, input, meta);
  afterResponse("code-generation", () => advanceGenerationRun(db, run.id));
  return run;
});
