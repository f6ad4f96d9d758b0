import { db } from "@/db/client";
import { assignCode } from "@/lib/coupons/assign-code";
import { assignRandomCoupon } from "@/lib/coupons/assign-random";
import { getBookOrThrow } from "@/lib/coupons/access";
import { defineServerAction } from "@/lib/http/server-action";
import { disableCampaignCodes, enableCampaignCodes } from "@/lib/ops/campaign-codes";
import { ConsoleCodeAssignmentInput, ConsoleRandomAssignmentInput, SelectedCodesInput } from "./schemas";

/*
 * The codes table's actions live in their own area, above lib/coupons and lib/http: a lib/coupons →
 * lib/http import would close a cycle (lib/http → lib/metrics → lib/coupons). Each one runs the
 * API's service with the API's schema; the book is scoped by the caller (a seller reaches only their
 * own business's books, any other id is BOOK_NOT_FOUND) and no business id comes from the browser.
 */

export const disableCodesServerAction = defineServerAction({ allow: ["seller", "ops"], input: SelectedCodesInput }, ({ actor, input, meta }) =>
  disableCampaignCodes(db, actor, input.bookId, { codes: input.codes }, meta),
);

export const enableCodesServerAction = defineServerAction({ allow: ["seller", "ops"], input: SelectedCodesInput }, ({ actor, input, meta }) =>
  enableCampaignCodes(db, actor, input.bookId, { codes: input.codes }, meta),
);

/** POST /api/assignments/random's service, for a user the seller names. */
export const assignRandomCodeServerAction = defineServerAction({ allow: ["seller", "ops"], input: ConsoleRandomAssignmentInput }, ({ actor, input, meta }) =>
  assignRandomCoupon(db, actor, input, meta),
);

/**
 * POST /api/assignments/:code's service. The code's business is the book's, read through the
 * caller's scope: ops need one named, and a seller's own book is the only one they can name.
 */
export const assignCodeServerAction = defineServerAction({ allow: ["seller", "ops"], input: ConsoleCodeAssignmentInput }, async ({ actor, input, meta }) => {
  const book = await getBookOrThrow(db, actor, input.bookId);
  return assignCode(db, actor, input.code, { userId: input.userId, businessId: book.businessId }, meta);
});
