import { db } from "@/db/client";
import { OPERATORS } from "@/lib/auth/actor";
import { releaseCheckout } from "@/lib/checkout/release-checkout";
import { PromoReleaseInput } from "@/lib/checkout/schemas";
import { json } from "@/lib/http/responses";
import { withRoute } from "@/lib/http/with-route";

// POST /api/internal/promo/release – the checkout gave its coupon up: free its live reservations
export const POST = withRoute({ allow: OPERATORS, body: PromoReleaseInput }, async ({ actor, body, meta }) =>
  json(await releaseCheckout(db, actor, body, meta)),
);
