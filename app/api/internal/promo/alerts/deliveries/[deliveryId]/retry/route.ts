import { db } from "@/db/client";
import { OPERATORS } from "@/lib/auth/actor";
import { json } from "@/lib/http/responses";
import { withRoute } from "@/lib/http/with-route";
import { retryAlertDelivery } from "@/lib/ops/retry-alert-delivery";
import { DeliveryIdParams, RetryDeliveryInput } from "@/lib/ops/schemas";
import { routeMethods } from "@/lib/http/route-methods";

// POST /api/internal/promo/alerts/deliveries/:deliveryId/retry – a FAILED delivery back to PENDING, due now, audited, then sent
const post = withRoute({ allow: OPERATORS, params: DeliveryIdParams, body: RetryDeliveryInput }, async ({ actor, params, body, meta }) =>
  json(await retryAlertDelivery(db, actor, params.deliveryId, body, meta)),
);

export const { GET, HEAD, OPTIONS, POST, PUT, PATCH, DELETE } = routeMethods({ POST: post });
