import { db } from "@/db/client";
import { retryAlertDelivery as operation } from "@/lib/contract/operations/ops";
import { json } from "@/lib/http/responses";
import { withRoute } from "@/lib/http/with-route";
import { retryAlertDelivery } from "@/lib/ops/retry-alert-delivery";
import { routeMethods } from "@/lib/http/route-methods";

// POST /api/internal/promo/alerts/deliveries/:deliveryId/retry – a FAILED delivery back to PENDING, due now, audited, then sent
const post = withRoute(operation, async ({ actor, params, body, meta }) =>
  json(await retryAlertDelivery(db, actor, params.deliveryId, body, meta)),
);

export const { GET, HEAD, OPTIONS, POST, PUT, PATCH, DELETE } = routeMethods({ POST: post });
