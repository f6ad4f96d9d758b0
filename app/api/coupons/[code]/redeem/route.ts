import { db } from "@/db/client";
import { COUPON_USERS } from "@/lib/auth/actor";
import { redeemCoupon } from "@/lib/coupons/redeem-coupon";
import { CodeParams, CouponActionInput } from "@/lib/coupons/schemas";
import { json } from "@/lib/http/responses";
import { withRoute } from "@/lib/http/with-route";

// POST /api/coupons/:code/redeem – consume one use of a coupon
export const POST = withRoute({ allow: COUPON_USERS, params: CodeParams, body: CouponActionInput, takesCode: true }, async ({ actor, params, body, meta }) =>
  json(await redeemCoupon(db, actor, params.code, body, meta)),
);
