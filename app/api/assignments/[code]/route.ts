import { db } from "@/db/client";
import { COUPON_USERS } from "@/lib/auth/actor";
import { assignCode } from "@/lib/coupons/assign-code";
import { CodeAssignmentInput, CodeParams } from "@/lib/coupons/schemas";
import { json } from "@/lib/http/responses";
import { withRoute } from "@/lib/http/with-route";
import { routeMethods } from "@/lib/http/route-methods";

// POST /api/assignments/:code – give a user one named code
const post = withRoute({ allow: COUPON_USERS, params: CodeParams, body: CodeAssignmentInput, takesCode: true }, async ({ actor, params, body, meta }) =>
  json(await assignCode(db, actor, params.code, body, meta), 201),
);

export const { GET, HEAD, OPTIONS, POST, PUT, PATCH, DELETE } = routeMethods({ POST: post });
