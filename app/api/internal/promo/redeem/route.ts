import { db } from "@/db/client";
import { redeemPromo as operation } from "@/lib/contract/operations/promo-checkout";
import { redeemPromo } from "@/lib/checkout/redeem-promo";
import { json } from "@/lib/http/responses";
import { withRoute } from "@/lib/http/with-route";
import { routeMethods } from "@/lib/http/route-methods";

// POST /api/internal/promo/redeem – apply a shopper's code to a checkout: reserve it or say why not
const post = withRoute(operation, async ({ actor, body, meta }) => {
  return json(await redeemPromo(db, actor, body, meta));
});

export const { GET, HEAD, OPTIONS, POST, PUT, PATCH, DELETE } = routeMethods({ POST: post });
