import { db } from "@/db/client";
import { reportOrderRefund as operation } from "@/lib/contract/operations/promo-checkout";
import { json } from "@/lib/http/responses";
import { withRoute } from "@/lib/http/with-route";
import { refundOrder } from "@/lib/refunds/refund-order";
import { routeMethods } from "@/lib/http/route-methods";

// POST /api/internal/promo/purchases/:orderId/refund – report a refund: PAID purchases → REFUNDED (the job rolls their coupon uses back)
const post = withRoute(operation, async ({ actor, params, body, meta }) =>
  json(await refundOrder(db, actor, params.orderId, body, meta)),
);

export const { GET, HEAD, OPTIONS, POST, PUT, PATCH, DELETE } = routeMethods({ POST: post });
