import { db } from "@/db/client";
import { redeemCoupon as operation } from "@/lib/contract/operations/coupons";
import { redeemCoupon } from "@/lib/coupons/redeem-coupon";
import { json } from "@/lib/http/responses";
import { withRoute } from "@/lib/http/with-route";
import { routeMethods } from "@/lib/http/route-methods";

// POST /api/coupons/:code/redeem – consume one use of a coupon
const post = withRoute(operation, async ({ actor, params, body, meta }) =>
  json(await redeemCoupon(db, actor, params.code, body, meta)),
);

export const { GET, HEAD, OPTIONS, POST, PUT, PATCH, DELETE } = routeMethods({ POST: post });
