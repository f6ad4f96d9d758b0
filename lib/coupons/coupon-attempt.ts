import { eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { renderedOnce } from "@/db/rendered-once";
import { couponAssignments } from "@/db/schema";
import { actorLabel, isShopper, type Actor } from "@/lib/auth/actor";
import { cartBusinesses } from "@/lib/pricing/schemas";
import { attemptIp, type AttemptCall } from "@/lib/promo/attempt-transaction";
import type { RequestMeta } from "@/lib/request-meta";
import { businessScope } from "./access";
import type { CouponActionInput } from "./schemas";

/** At most this many of a shopper's businesses: a bound on the attribution query, not a rule. */
const SHOPPER_BUSINESSES = 20;

/**
 * Where an unknown code tried by a shopper session is attributed: the businesses the call names
 * (body businessId, then the cart's), else those the shopper holds coupons of. Shoppers have no
 * business of their own, and their lookups are scoped by their own assignments (DESIGN §5).
 */
async function shopperBusinesses(db: Db, userId: string, input: CouponActionInput) {
  const named = [...new Set([...(input.businessId ? [input.businessId] : []), ...(input.cart ? cartBusinesses(input.cart) : [])])];
  if (named.length > 0) return named;
  // A shopper's every public lock and redeem naming no business sends it: rendered once (db/rendered-once.ts).
  const held = await renderedOnce(db, "shopperBusinesses", { userId }, (v) =>
    db.selectDistinct({ businessId: couponAssignments.businessId }).from(couponAssignments).where(eq(couponAssignments.userId, v.userId)).limit(SHOPPER_BUSINESSES),
  );
  return held.map((row) => row.businessId);
}

/**
 * The attempt a public lock or redeem makes (DESIGN §3: every try of a code leaves a row the guard
 * and the dashboard read): the acting shopper, their ip when they call themselves, and the
 * businesses an unknown code is attributed among (the caller's own for sellers and API keys).
 * Throws FORBIDDEN like the lookup would for a caller naming another business.
 */
export async function couponAttemptCall(db: Db, actor: Actor, code: string, userId: string, input: CouponActionInput, meta: RequestMeta): Promise<AttemptCall> {
  let businessIds: string[];
  if (isShopper(actor)) {
    businessIds = await shopperBusinesses(db, userId, input);
  } else {
    const scope = businessScope(actor, input.businessId);
    businessIds = scope ? [scope] : [];
  }
  return { code, userId, checkoutId: input.checkoutId ?? null, ip: attemptIp(actor, meta), businessIds, actor: actorLabel(actor) };
}
