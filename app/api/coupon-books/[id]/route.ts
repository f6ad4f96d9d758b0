import { db } from "@/db/client";
import { getCouponBook, patchCouponBook, updateCouponBook } from "@/lib/contract/operations/coupon-books";
import { getBook } from "@/lib/coupons/get-book";
import { updateBook } from "@/lib/coupons/update-book";
import { json } from "@/lib/http/responses";
import { withRoute } from "@/lib/http/with-route";
import { routeMethods } from "@/lib/http/route-methods";

// GET /api/coupon-books/:id – one book
const get = withRoute(getCouponBook, async ({ actor, params }) =>
  json(await getBook(db, actor, params.id)),
);

// PUT /api/coupon-books/:id – partial update, status transitions included
const put = withRoute(updateCouponBook, async ({ actor, params, body, meta }) =>
  json(await updateBook(db, actor, params.id, body, meta)),
);

// PATCH /api/coupon-books/:id – same as PUT
const patch = withRoute(patchCouponBook, async ({ actor, params, body, meta }) =>
  json(await updateBook(db, actor, params.id, body, meta)),
);

export const { GET, HEAD, OPTIONS, POST, PUT, PATCH, DELETE } = routeMethods({ GET: get, PUT: put, PATCH: patch });
