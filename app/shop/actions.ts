"use server";

import { actionCaller } from "@/lib/http/action-caller";
import {
  applyCouponServerAction,
  claimOfferServerAction,
  placeOrderServerAction,
  removeCouponServerAction,
  setCartLineServerAction,
} from "@/lib/shop/actions";

// The shop's actions (lib/shop/actions.ts; in the authorization matrix): shoppers only, as themselves.
export async function claimOfferAction(input: unknown) {
  return claimOfferServerAction.run(await actionCaller(), input);
}

export async function setCartLineAction(input: unknown) {
  return setCartLineServerAction.run(await actionCaller(), input);
}

export async function applyCouponAction(input: unknown) {
  return applyCouponServerAction.run(await actionCaller(), input);
}

export async function removeCouponAction(input: unknown) {
  return removeCouponServerAction.run(await actionCaller(), input);
}

export async function placeOrderAction(input: unknown) {
  return placeOrderServerAction.run(await actionCaller(), input);
}
