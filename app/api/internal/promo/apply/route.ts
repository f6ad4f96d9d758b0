import { db } from "@/db/client";
import { applyPromo as operation } from "@/lib/contract/operations/promo-checkout";
import { applyCheckout } from "@/lib/checkout/apply-checkout";
import { json } from "@/lib/http/responses";
import { withRoute } from "@/lib/http/with-route";
import { routeMethods } from "@/lib/http/route-methods";

// POST /api/internal/promo/apply – the order is paid: consume the checkout's reservations, record the purchase
const post = withRoute(operation, async ({ actor, body, meta }) =>
  json(await applyCheckout(db, actor, body, meta)),
);

export const { GET, HEAD, OPTIONS, POST, PUT, PATCH, DELETE } = routeMethods({ POST: post });
