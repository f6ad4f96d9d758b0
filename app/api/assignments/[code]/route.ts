import { db } from "@/db/client";
import { assignCouponCode as operation } from "@/lib/contract/operations/assignments";
import { assignCode } from "@/lib/coupons/assign-code";
import { json } from "@/lib/http/responses";
import { withRoute } from "@/lib/http/with-route";
import { routeMethods } from "@/lib/http/route-methods";

// POST /api/assignments/:code – give a user one named code
const post = withRoute(operation, async ({ actor, params, body, meta }) =>
  json(await assignCode(db, actor, params.code, body, meta), 201),
);

export const { GET, HEAD, OPTIONS, POST, PUT, PATCH, DELETE } = routeMethods({ POST: post });
