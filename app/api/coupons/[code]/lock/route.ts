import { db } from "@/db/client";
import { lockCoupon as operation } from "@/lib/contract/operations/coupons";
import { lockCoupon } from "@/lib/coupons/lock-coupon";
import { json } from "@/lib/http/responses";
import { withRoute } from "@/lib/http/with-route";
import { routeMethods } from "@/lib/http/route-methods";

// POST /api/coupons/:code/lock – reserve a coupon for a checkout for the book's lock TTL
const post = withRoute(operation, async ({ actor, params, body, meta }) =>
  json(await lockCoupon(db, actor, params.code, body, meta)),
);

export const { GET, HEAD, OPTIONS, POST, PUT, PATCH, DELETE } = routeMethods({ POST: post });
