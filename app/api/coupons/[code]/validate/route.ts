import { db } from "@/db/client";
import { COUPON_USERS } from "@/lib/auth/actor";
import { ValidateCouponInput } from "@/lib/checkout/schemas";
import { validateCoupon } from "@/lib/checkout/validate-coupon";
import { CodeParams } from "@/lib/coupons/schemas";
import { json } from "@/lib/http/responses";
import { withRoute } from "@/lib/http/with-route";
import { routeMethods } from "@/lib/http/route-methods";

// POST /api/coupons/:code/validate – quote a coupon against a cart, changing nothing
const post = withRoute({ allow: COUPON_USERS, params: CodeParams, body: ValidateCouponInput, takesCode: true }, async ({ actor, params, body, meta }) =>
  json(await validateCoupon(db, actor, params.code, body, meta)),
);

export const { GET, HEAD, OPTIONS, POST, PUT, PATCH, DELETE } = routeMethods({ POST: post });
