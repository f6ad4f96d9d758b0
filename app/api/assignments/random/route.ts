import { db } from "@/db/client";
import { assignRandomCoupon as operation } from "@/lib/contract/operations/assignments";
import { assignRandomCoupon } from "@/lib/coupons/assign-random";
import { json } from "@/lib/http/responses";
import { withRoute } from "@/lib/http/with-route";
import { routeMethods } from "@/lib/http/route-methods";

// POST /api/assignments/random – give a user a random available code of a book
const post = withRoute(operation, async ({ actor, body, meta }) =>
  json(await assignRandomCoupon(db, actor, body, meta), 201),
);

export const { GET, HEAD, OPTIONS, POST, PUT, PATCH, DELETE } = routeMethods({ POST: post });
