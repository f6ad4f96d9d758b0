import { db } from "@/db/client";
import { unlockCoupon as operation } from "@/lib/contract/operations/coupons";
import { unlockCoupon } from "@/lib/coupons/unlock-coupon";
import { json } from "@/lib/http/responses";
import { withRoute } from "@/lib/http/with-route";
import { routeMethods } from "@/lib/http/route-methods";

// POST /api/coupons/:code/unlock – release a coupon's lock
const post = withRoute(operation, async ({ actor, params, body, meta }) =>
  json(await unlockCoupon(db, actor, params.code, body, meta)),
);

export const { GET, HEAD, OPTIONS, POST, PUT, PATCH, DELETE } = routeMethods({ POST: post });
