import { db } from "@/db/client";
import { OPERATORS } from "@/lib/auth/actor";
import { json } from "@/lib/http/responses";
import { withRoute } from "@/lib/http/with-route";
import { refundRollback } from "@/lib/refunds/rollback";
import { RefundRollbackInput } from "@/lib/refunds/schemas";

// POST /api/internal/promo/refund-rollback – give a refunded order's coupon uses back at once (→ PR_REVOKED, idempotent)
export const POST = withRoute({ allow: OPERATORS, body: RefundRollbackInput }, async ({ actor, body, meta }) =>
  json(await refundRollback(db, actor, body, meta)),
);
