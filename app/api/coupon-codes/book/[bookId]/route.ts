import { db } from "@/db/client";
import { BOOK_MANAGERS } from "@/lib/auth/actor";
import { listCodes } from "@/lib/coupons/list-codes";
import { CodeBookParams, ListCodesQuery } from "@/lib/coupons/schemas";
import { json } from "@/lib/http/responses";
import { withRoute } from "@/lib/http/with-route";
import { routeMethods } from "@/lib/http/route-methods";

// GET /api/coupon-codes/book/:bookId – a book's codes, newest first, filtered by status
const get = withRoute({ allow: BOOK_MANAGERS, params: CodeBookParams, query: ListCodesQuery }, async ({ actor, params, query }) =>
  json(await listCodes(db, actor, params.bookId, query)),
);

export const { GET, HEAD, OPTIONS, POST, PUT, PATCH, DELETE } = routeMethods({ GET: get });
