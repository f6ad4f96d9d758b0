import { db } from "@/db/client";
import { OPERATORS } from "@/lib/auth/actor";
import { json } from "@/lib/http/responses";
import { withRoute } from "@/lib/http/with-route";
import { refundRollback } from "@/lib/refunds/rollback";
import { RefundRollbackInput } from "@/lib/refunds/schemas";
import { routeMethods } from "@/lib/http/route-methods";

// POST /api/internal/promo/refund-rollback – give a refunded order's coupon uses back at once (→ PR_REVOKED, idempotent)
const post = withRoute({ allow: OPERATORS, body: RefundRollbackInput }, async ({ actor, body, meta }) =>
  json(await refundRollback(db, actor, body, meta)),
);

export const { GET, HEAD, OPTIONS, POST, PUT, PATCH, DELETE } = routeMethods({ POST: post });
