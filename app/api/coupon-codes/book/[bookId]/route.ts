import { db } from "@/db/client";
import { BOOK_MANAGERS } from "@/lib/auth/actor";
import { listCodes } from "@/lib/coupons/list-codes";
import { CodeBookParams, ListCodesQuery } from "@/lib/coupons/schemas";
import { json } from "@/lib/http/responses";
import { withRoute } from "@/lib/http/with-route";

// GET /api/coupon-codes/book/:bookId – a book's codes, newest first, filtered by status
export const GET = withRoute({ allow: BOOK_MANAGERS, params: CodeBookParams, query: ListCodesQuery }, async ({ actor, params, query }) =>
  json(await listCodes(db, actor, params.bookId, query)),
);
