import { db } from "@/db/client";
import { OPERATORS } from "@/lib/auth/actor";
import { redeemPromo } from "@/lib/checkout/redeem-promo";
import { PromoRedeemInput } from "@/lib/checkout/schemas";
import { json } from "@/lib/http/responses";
import { withRoute } from "@/lib/http/with-route";
import { routeMethods } from "@/lib/http/route-methods";

// POST /api/internal/promo/redeem – apply a shopper's code to a checkout: reserve it or say why not
const post = withRoute({ allow: OPERATORS, body: PromoRedeemInput }, async ({ actor, body, meta }) => {
  return json(await redeemPromo(db, actor, body, meta));
});

export const { GET, HEAD, OPTIONS, POST, PUT, PATCH, DELETE } = routeMethods({ POST: post });
