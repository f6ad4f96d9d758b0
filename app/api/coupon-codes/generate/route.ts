import { db } from "@/db/client";
import { generateCouponCodes } from "@/lib/contract/operations/coupon-codes";
import { generateCodes } from "@/lib/coupons/generate-codes";
import { json } from "@/lib/http/responses";
import { withRoute } from "@/lib/http/with-route";
import { routeMethods } from "@/lib/http/route-methods";

// 1,000,000 codes in one synchronous call take tens of seconds.
export const maxDuration = 300;

// POST /api/coupon-codes/generate – generate codes for a book from a pattern
const post = withRoute(generateCouponCodes, async ({ actor, body, meta }) =>
  json(await generateCodes(db, actor, body, meta)),
);

export const { GET, HEAD, OPTIONS, POST, PUT, PATCH, DELETE } = routeMethods({ POST: post });
