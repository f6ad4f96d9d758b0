import { db } from "@/db/client";
import { releasePromo as operation } from "@/lib/contract/operations/promo-checkout";
import { releaseCheckout } from "@/lib/checkout/release-checkout";
import { json } from "@/lib/http/responses";
import { withRoute } from "@/lib/http/with-route";
import { routeMethods } from "@/lib/http/route-methods";

// POST /api/internal/promo/release – the checkout gave its coupon up: free its live reservations
const post = withRoute(operation, async ({ actor, body, meta }) =>
  json(await releaseCheckout(db, actor, body, meta)),
);

export const { GET, HEAD, OPTIONS, POST, PUT, PATCH, DELETE } = routeMethods({ POST: post });
