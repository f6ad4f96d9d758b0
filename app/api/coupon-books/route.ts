import { db } from "@/db/client";
import { BOOK_MANAGERS } from "@/lib/auth/actor";
import { createBook } from "@/lib/coupons/create-book";
import { listBooks } from "@/lib/coupons/list-books";
import { CreateBookInput, ListBooksQuery } from "@/lib/coupons/schemas";
import { json } from "@/lib/http/responses";
import { withRoute } from "@/lib/http/with-route";
import { routeMethods } from "@/lib/http/route-methods";

// POST /api/coupon-books – create a coupon book (DRAFT)
const post = withRoute({ allow: BOOK_MANAGERS, body: CreateBookInput, idempotent: true }, async ({ actor, body, meta }) =>
  json(await createBook(db, actor, body, meta), 201),
);

// GET /api/coupon-books – list books, newest first
const get = withRoute({ allow: BOOK_MANAGERS, query: ListBooksQuery }, async ({ actor, query }) =>
  json(await listBooks(db, actor, query)),
);

export const { GET, HEAD, OPTIONS, POST, PUT, PATCH, DELETE } = routeMethods({ GET: get, POST: post });
