import { db } from "@/db/client";
import { listCouponCodes } from "@/lib/contract/operations/coupon-codes";
import { listCodes } from "@/lib/coupons/list-codes";
import { json } from "@/lib/http/responses";
import { withRoute } from "@/lib/http/with-route";
import { routeMethods } from "@/lib/http/route-methods";

// GET /api/coupon-codes/book/:bookId – a book's codes, newest first, filtered by status
const get = withRoute(listCouponCodes, async ({ actor, params, query }) =>
  json(await listCodes(db, actor, params.bookId, query)),
);

export const { GET, HEAD, OPTIONS, POST, PUT, PATCH, DELETE } = routeMethods({ GET: get });
