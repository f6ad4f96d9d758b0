import { db } from "@/db/client";
import { refundRollback as operation } from "@/lib/contract/operations/promo-checkout";
import { json } from "@/lib/http/responses";
import { withRoute } from "@/lib/http/with-route";
import { refundRollback } from "@/lib/refunds/rollback";
import { routeMethods } from "@/lib/http/route-methods";

// POST /api/internal/promo/refund-rollback – give a refunded order's coupon uses back at once (→ PR_REVOKED, idempotent)
const post = withRoute(operation, async ({ actor, body, meta }) =>
  json(await refundRollback(db, actor, body, meta)),
);

export const { GET, HEAD, OPTIONS, POST, PUT, PATCH, DELETE } = routeMethods({ POST: post });
