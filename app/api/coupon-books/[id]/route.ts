import { db } from "@/db/client";
import { BOOK_MANAGERS } from "@/lib/auth/actor";
import { getBook } from "@/lib/coupons/get-book";
import { BookIdParams, UpdateBookInput } from "@/lib/coupons/schemas";
import { updateBook } from "@/lib/coupons/update-book";
import { json } from "@/lib/http/responses";
import { withRoute } from "@/lib/http/with-route";
import { routeMethods } from "@/lib/http/route-methods";

// GET /api/coupon-books/:id – one book
const get = withRoute({ allow: BOOK_MANAGERS, params: BookIdParams }, async ({ actor, params }) =>
  json(await getBook(db, actor, params.id)),
);

// PUT /api/coupon-books/:id – partial update, status transitions included
// PATCH /api/coupon-books/:id – same as PUT
const update = withRoute({ allow: BOOK_MANAGERS, params: BookIdParams, body: UpdateBookInput }, async ({ actor, params, body, meta }) =>
  json(await updateBook(db, actor, params.id, body, meta)),
);

export const { GET, HEAD, OPTIONS, POST, PUT, PATCH, DELETE } = routeMethods({ GET: get, PUT: update, PATCH: update });
