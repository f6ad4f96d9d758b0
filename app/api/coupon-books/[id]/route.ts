import { db } from "@/db/client";
import { BOOK_MANAGERS } from "@/lib/auth/actor";
import { getBook } from "@/lib/coupons/get-book";
import { BookIdParams, UpdateBookInput } from "@/lib/coupons/schemas";
import { updateBook } from "@/lib/coupons/update-book";
import { json } from "@/lib/http/responses";
import { withRoute } from "@/lib/http/with-route";

// GET /api/coupon-books/:id – one book
export const GET = withRoute({ allow: BOOK_MANAGERS, params: BookIdParams }, async ({ actor, params }) =>
  json(await getBook(db, actor, params.id)),
);

const update = withRoute({ allow: BOOK_MANAGERS, params: BookIdParams, body: UpdateBookInput }, async ({ actor, params, body, meta }) =>
  json(await updateBook(db, actor, params.id, body, meta)),
);
// PUT /api/coupon-books/:id – partial update, status transitions included
export const PUT = update;
// PATCH /api/coupon-books/:id – same as PUT
export const PATCH = update;
