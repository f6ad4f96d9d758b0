import { db } from "@/db/client";
import { listUserAssignments as operation } from "@/lib/contract/operations/assignments";
import { listUserAssignments } from "@/lib/coupons/list-user-assignments";
import { json } from "@/lib/http/responses";
import { withRoute } from "@/lib/http/with-route";
import { routeMethods } from "@/lib/http/route-methods";

// GET /api/assignments/user/:userId – a user's coupons, newest first
const get = withRoute(operation, async ({ actor, params, query }) =>
  json(await listUserAssignments(db, actor, params.userId, query)),
);

export const { GET, HEAD, OPTIONS, POST, PUT, PATCH, DELETE } = routeMethods({ GET: get });
