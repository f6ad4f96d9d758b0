import { COUPON_USERS } from "@/lib/auth/actor";
import { ValidateCouponInput } from "@/lib/checkout/schemas";
import { CouponQuoteDto } from "@/lib/coupons/coupon-quote-dto";
import { CouponLockDto } from "@/lib/coupons/lock-coupon";
import { CouponRedemptionDto } from "@/lib/coupons/redeem-coupon";
import { CodeParams, CouponActionInput } from "@/lib/coupons/schemas";
import { CouponUnlockDto } from "@/lib/coupons/unlock-coupon";
import { defineOperation } from "../operation";

/**
 * Refusals of finding the caller's coupon (lib/coupons/coupon-target.ts): an unknown code, someone
 * else's or a disabled one (a shopper session gets the unknown code's 404 for all three), and a
 * coupon held by a concurrent request or by another checkout's live lock.
 */
const FIND_ERRORS = ["COUPON_NOT_FOUND", "COUPON_NOT_ASSIGNED_TO_USER", "COUPON_DISABLED", "COUPON_LOCKED"] as const;

/** Refusals of a use of the coupon (lib/coupons/coupon-usability.ts, reservations.ts, price-use.ts, caps.ts). */
const USE_ERRORS = [
  ...FIND_ERRORS,
  "BOOK_NOT_ACTIVE",
  "BOOK_EXPIRED",
  "COUPON_ALREADY_REDEEMED",
  "CHECKOUT_ALREADY_REDEEMED",
  "COUPON_NOT_APPLICABLE",
  "CAMPAIGN_EXHAUSTED",
] as const;

const concurrency =
  "A coupon with at most one use left that a concurrent request holds answers 409 COUPON_LOCKED at once (`reason: CONCURRENT_REQUEST`, `lockedUntil: null`): " +
  "retry once that request has finished. ";
const genericFirstUse =
  "For every caller but a shopper session, a GENERIC book's public code is assigned to the user on its first use; a shopper claims it first (POST /api/assignments/{code}). ";
const attempts = "Every call that reaches the code lookup, refused ones included, is recorded for the brute-force guard and the ops dashboard.";

export const lockCoupon = defineOperation({
  operationId: "lockCoupon",
  method: "POST",
  path: "/api/coupons/{code}/lock",
  tag: "Coupons",
  summary: "Lock a coupon for a checkout",
  description:
    "Holds the user's coupon for one checkout until `lockedUntil`, the book's `lockTtlSeconds` from now. A lock lapses on its own at its TTL: the coupon then reads ASSIGNED " +
    "again, with no unlock needed. Idempotent by `checkoutId`: the same checkoutId again answers its live lock unchanged (the TTL is not extended); another checkout " +
    "while it is live is 409 COUPON_LOCKED with `lockedUntil`. With a `cart` the discount is priced and held against the campaign's caps: a cart the coupon does not " +
    "apply to is 422 COUPON_NOT_APPLICABLE with `reason` (STACKING for a second coupon of the seller in one checkout), a spent campaign 409 CAMPAIGN_EXHAUSTED. " +
    genericFirstUse +
    concurrency +
    "A shopper session gets 404 COUPON_NOT_FOUND for any code it does not hold (no oracle). " +
    attempts,
  allow: COUPON_USERS,
  params: CodeParams,
  body: CouponActionInput,
  takesCode: true,
  responses: { 200: { description: "The live lock", schema: CouponLockDto } },
  errors: USE_ERRORS,
});

export const unlockCoupon = defineOperation({
  operationId: "unlockCoupon",
  method: "POST",
  path: "/api/coupons/{code}/unlock",
  tag: "Coupons",
  summary: "Release a coupon's lock",
  description:
    "Ends the live lock: the coupon is ASSIGNED again and its reservation is released (a discount it held goes back to the campaign). Only the lock's checkout, or a " +
    "call naming no checkout, may release it (409 COUPON_LOCKED otherwise); a coupon without a live lock (never locked, lapsed or consumed) is 409 COUPON_NOT_LOCKED. " +
    "Works whatever the book's state. A shopper session gets 404 COUPON_NOT_FOUND for any code it does not hold.",
  allow: COUPON_USERS,
  params: CodeParams,
  body: CouponActionInput,
  takesCode: true,
  responses: { 200: { description: "The coupon, free again", schema: CouponUnlockDto } },
  errors: [...FIND_ERRORS, "COUPON_NOT_LOCKED"],
});

export const redeemCoupon = defineOperation({
  operationId: "redeemCoupon",
  method: "POST",
  path: "/api/coupons/{code}/redeem",
  tag: "Coupons",
  summary: "Consume one use of a coupon",
  description:
    "From a live lock (the use takes the lock's quoted discount; only the lock's checkout, or a call naming no checkout, may consume it) or straight from ASSIGNED " +
    "(priced with `cart`, if sent). Multi-use codes (a book's `maxRedeemsPerUser` above 1) go back to ASSIGNED after each use, until the final one leaves them REDEEMED " +
    "(`isFinalRedeem`); with no use left the answer is 400 COUPON_ALREADY_REDEEMED. Consumption is idempotent by `orderId`: the same orderId again answers the first " +
    "result without a second use, and so does the same `checkoutId`, unless the two name different orders (409 CHECKOUT_ALREADY_REDEEMED). Parallel redeems never " +
    "consume more uses than the code has. " +
    genericFirstUse +
    concurrency +
    "A shopper session gets 404 COUPON_NOT_FOUND for any code it does not hold (no oracle). " +
    attempts,
  allow: COUPON_USERS,
  params: CodeParams,
  body: CouponActionInput,
  takesCode: true,
  responses: { 200: { description: "The use, and what is left", schema: CouponRedemptionDto } },
  errors: USE_ERRORS,
});

export const validateCoupon = defineOperation({
  operationId: "validateCoupon",
  method: "POST",
  path: "/api/coupons/{code}/validate",
  tag: "Coupons",
  summary: "Quote a coupon against a cart, changing nothing",
  description:
    "Runs the redeem's own checks and pricing on the cart and rolls them back, so a quote and the redeem that follows agree; a refusal is an answer " +
    "(`applicable: false` with its `result`), not an error. API keys and sellers look the code up in their own business and see every `reason`; ops, internal callers " +
    "and shoppers look among the cart's businesses and get INVALID without a reason for a code they may not use (no oracle); shoppers quote only codes they hold and " +
    "public (GENERIC) ones. With `checkoutId`, the checkout's own reservation is reused and another coupon of the seller in it is STACKING. " +
    attempts,
  allow: COUPON_USERS,
  params: CodeParams,
  body: ValidateCouponInput,
  takesCode: true,
  responses: { 200: { description: "The quote", schema: CouponQuoteDto } },
});

export const couponOperations = [validateCoupon, lockCoupon, unlockCoupon, redeemCoupon];
