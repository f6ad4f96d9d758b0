import { db } from "@/db/client";
import { OPERATORS } from "@/lib/auth/actor";
import { json } from "@/lib/http/responses";
import { withRoute } from "@/lib/http/with-route";
import { refundOrder } from "@/lib/refunds/refund-order";
import { OrderIdParams, RefundOrderInput } from "@/lib/refunds/schemas";
import { routeMethods } from "@/lib/http/route-methods";

// POST /api/internal/promo/purchases/:orderId/refund – report a refund: PAID purchases → REFUNDED (the job rolls their coupon uses back)
const post = withRoute({ allow: OPERATORS, params: OrderIdParams, body: RefundOrderInput }, async ({ actor, params, body, meta }) =>
  json(await refundOrder(db, actor, params.orderId, body, meta)),
);

export const { GET, HEAD, OPTIONS, POST, PUT, PATCH, DELETE } = routeMethods({ POST: post });
