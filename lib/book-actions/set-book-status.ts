import { z } from "zod";
import { db } from "@/db/client";
import { defineServerAction } from "@/lib/http/server-action";
import { UpdateBookInput } from "@/lib/coupons/schemas";
import { updateBook } from "@/lib/coupons/update-book";

/** The book page's status buttons: the API's status schema (CLOSED reads ARCHIVED), for one book. */
export const SetBookStatusInput = z.object({ bookId: z.uuid(), status: UpdateBookInput.shape.status.unwrap() });

/**
 * The seller console's book actions live in their own area, above lib/coupons and lib/http: a
 * lib/coupons → lib/http import would close a cycle (lib/http → lib/metrics → lib/coupons).
 *
 * Activate / pause / resume / archive from the book page: the same service and rules as
 * PATCH /api/coupon-books/:id. The book is scoped by the caller (a seller reaches only their own
 * business's books; any other id is BOOK_NOT_FOUND), never by a business sent from the browser.
 */
export const setBookStatusServerAction = defineServerAction(
  { allow: ["seller", "ops"], input: SetBookStatusInput },
  ({ actor, input, meta }) => updateBook(db, actor, input.bookId, { status: input.status }, meta),
);
