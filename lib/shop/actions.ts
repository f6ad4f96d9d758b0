import { db } from "@/db/client";
import { isShopper, type Actor, type ShopperActor } from "@/lib/auth/actor";
import { AppError } from "@/lib/errors";
import { defineServerAction } from "@/lib/http/server-action";
import { applyCoupon, placeOrder, removeCoupon, setCartLine } from "./checkout";
import { claimOffer } from "./offers";
import { ApplyCouponInput, CheckoutInput, ClaimOfferInput, SetCartLineInput } from "./schemas";

/*
 * The store's server actions: shoppers only, the shopper always the session's user (never an id
 * from the form), one lib/shop service call each. The "use server" exports live under app/shop/.
 */

const ONLY_SHOPPERS = ["shopper"] as const;

/** `allow: ["shopper"]` has let only shoppers through; this says so to the type checker. */
function shopper(actor: Actor): ShopperActor {
  if (!isShopper(actor)) throw new AppError("FORBIDDEN", "Only shoppers have a cart");
  return actor;
}

export const claimOfferServerAction = defineServerAction({ allow: ONLY_SHOPPERS, input: ClaimOfferInput }, async ({ actor, input, meta }) =>
  claimOffer(db, shopper(actor), input, meta),
);

export const setCartLineServerAction = defineServerAction({ allow: ONLY_SHOPPERS, input: SetCartLineInput }, async ({ actor, input, meta }) =>
  setCartLine(db, shopper(actor), input, meta),
);

export const applyCouponServerAction = defineServerAction({ allow: ONLY_SHOPPERS, input: ApplyCouponInput }, async ({ actor, input, meta }) =>
  applyCoupon(db, shopper(actor), input, meta),
);

export const removeCouponServerAction = defineServerAction({ allow: ONLY_SHOPPERS, input: CheckoutInput }, async ({ actor, input, meta }) =>
  removeCoupon(db, shopper(actor), input, meta),
);

export const placeOrderServerAction = defineServerAction({ allow: ONLY_SHOPPERS, input: CheckoutInput }, async ({ actor, input, meta }) =>
  placeOrder(db, shopper(actor), input, meta),
);
