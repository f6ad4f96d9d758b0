import { db } from "@/db/client";
import { COUPON_USERS } from "@/lib/auth/actor";
import { listUserAssignments } from "@/lib/coupons/list-user-assignments";
import { PageQuery, UserParams } from "@/lib/coupons/schemas";
import { json } from "@/lib/http/responses";
import { withRoute } from "@/lib/http/with-route";
import { routeMethods } from "@/lib/http/route-methods";

// GET /api/assignments/user/:userId – a user's coupons, newest first
const get = withRoute({ allow: COUPON_USERS, params: UserParams, query: PageQuery }, async ({ actor, params, query }) =>
  json(await listUserAssignments(db, actor, params.userId, query)),
);

export const { GET, HEAD, OPTIONS, POST, PUT, PATCH, DELETE } = routeMethods({ GET: get });
