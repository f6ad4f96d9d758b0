import { db } from "@/db/client";
import { validateCoupon as operation } from "@/lib/contract/operations/coupons";
import { validateCoupon } from "@/lib/checkout/validate-coupon";
import { json } from "@/lib/http/responses";
import { withRoute } from "@/lib/http/with-route";
import { routeMethods } from "@/lib/http/route-methods";

// POST /api/coupons/:code/validate – quote a coupon against a cart, changing nothing
const post = withRoute(operation, async ({ actor, params, body, meta }) =>
  json(await validateCoupon(db, actor, params.code, body, meta)),
);

export const { GET, HEAD, OPTIONS, POST, PUT, PATCH, DELETE } = routeMethods({ POST: post });
