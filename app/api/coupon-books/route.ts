import { db } from "@/db/client";
import { createCouponBook, listCouponBooks } from "@/lib/contract/operations/coupon-books";
import { createBook } from "@/lib/coupons/create-book";
import { listBooks } from "@/lib/coupons/list-books";
import { json } from "@/lib/http/responses";
import { withRoute } from "@/lib/http/with-route";
import { routeMethods } from "@/lib/http/route-methods";

// POST /api/coupon-books – create a coupon book (DRAFT)
const post = withRoute(createCouponBook, async ({ actor, body, meta }) =>
  json(await createBook(db, actor, body, meta), 201),
);

// GET /api/coupon-books – list books, newest first
const get = withRoute(listCouponBooks, async ({ actor, query }) =>
  json(await listBooks(db, actor, query)),
);

export const { GET, HEAD, OPTIONS, POST, PUT, PATCH, DELETE } = routeMethods({ GET: get, POST: post });
