import { OPERATORS } from "@/lib/auth/actor";
import { AppliedCheckout, ReleasedCheckout } from "@/lib/checkout/checkout-ledger";
import { PromoRedeemAnswer } from "@/lib/checkout/redeem-promo";
import { PromoApplyInput, PromoRedeemInput, PromoReleaseInput } from "@/lib/checkout/schemas";
import { RefundedOrder, RefundRollbackResult } from "@/lib/refunds/refund-views";
import { OrderIdParams, RefundOrderInput, RefundRollbackInput } from "@/lib/refunds/schemas";
import { defineOperation } from "../operation";

export const redeemPromo = defineOperation({
  operationId: "redeemPromo",
  method: "POST",
  path: "/api/internal/promo/redeem",
  tag: "Promo checkout",
  summary: "Reserve a shopper's code for a checkout, or say why not",
  description:
    "The code is normalized (trim, uppercase, no whitespace) and looked up among the businesses of the cart's items, first match in item order. " +
    "ACCEPTED reserves it for the checkout until `expiresAt` (the book's lockTtlSeconds) with the cart priced by the price tower (DESIGN §7: " +
    "seller-funded, on its seller's items only, capped by maxDiscountAmount and the budget left); a refusal is a 200 too, with its `result`, " +
    "nothing reserved and the cart priced without the coupon. No oracle: an unknown code, someone else's, a disabled one and a UNIQUE code of an " +
    "unusable book the shopper holds no assignment of all answer INVALID without a reason. Idempotent by `checkoutId`: the same checkout again " +
    "answers its reservation unchanged (a request in flight with the same checkoutId is waited for, never refused); a checkout holds one coupon " +
    "per seller. An AVAILABLE code of a UNIQUE book is claimed by the shopper on first use. Rate-limited per shopper (10/min) and per the " +
    "body's `ip` (30/min): over a limit the answer is a 429 RATE_LIMITED whose body also carries the redeem fields (`result: \"RATE_LIMITED\"`, " +
    "nothing reserved, `priceTower: null`) and `retryAfter`. Every call writes one promo_attempts row (the code's HMAC, never the code) that the " +
    "brute-force guard reads to pause a guessed campaign.",
  allow: OPERATORS,
  body: PromoRedeemInput,
  responses: { 200: { description: "The result: the reservation, or why the code was not accepted", schema: PromoRedeemAnswer } },
});

export const applyPromo = defineOperation({
  operationId: "applyPromo",
  method: "POST",
  path: "/api/internal/promo/apply",
  tag: "Promo checkout",
  summary: "The order is paid: consume the checkout's reservations",
  description:
    "Every live reservation of the checkout becomes PR_APPLIED (one use of each coupon consumed) and the order is recorded as a PAID purchase per " +
    "seller, as the reservation quoted it; all or nothing. Consumption by `orderId`: the same orderId again answers the first result and consumes " +
    "nothing; another orderId for an applied checkout is 409 CHECKOUT_ALREADY_REDEEMED (with the first orderId), an orderId another checkout " +
    "recorded 409 CONFLICT. A reservation that expired first consumes nothing: 409 RESERVATION_EXPIRED, and a payments_recovery_review_required " +
    "alert is raised; one released first is 409 RESERVATION_RELEASED; a checkout without coupons 404 RESERVATION_NOT_FOUND.",
  allow: OPERATORS,
  body: PromoApplyInput,
  responses: { 200: { description: "The uses the order consumed and its purchases", schema: AppliedCheckout } },
  errors: ["RESERVATION_NOT_FOUND", "RESERVATION_RELEASED", "RESERVATION_EXPIRED", "CHECKOUT_ALREADY_REDEEMED"],
});

export const releasePromo = defineOperation({
  operationId: "releasePromo",
  method: "POST",
  path: "/api/internal/promo/release",
  tag: "Promo checkout",
  summary: "The checkout gave its coupon up: free its reservations",
  description:
    "The shopper removed the coupon or left: live reservations become PR_RELEASED and their coupons are free again (a capped campaign's share " +
    "with them), lapsed ones are tidied to PR_EXPIRED, applied ones are left alone. Idempotent: a second call changes nothing. A checkout " +
    "without coupons answers 404 RESERVATION_NOT_FOUND.",
  allow: OPERATORS,
  body: PromoReleaseInput,
  responses: { 200: { description: "The checkout's coupon uses after the release", schema: ReleasedCheckout } },
  errors: ["RESERVATION_NOT_FOUND"],
});

export const refundRollback = defineOperation({
  operationId: "refundRollback",
  method: "POST",
  path: "/api/internal/promo/refund-rollback",
  tag: "Promo checkout",
  summary: "Give a refunded order's coupon uses back at once",
  description:
    "`orderId` (every seller's purchase of the order, or one seller's with `businessId`) or `purchaseId`, exactly one. In one transaction each " +
    "PR_APPLIED use of those purchases becomes PR_REVOKED, its coupon gets the use back (REDEEMED → ASSIGNED), a capped campaign its use and " +
    "budget, each audited (REVOKE), and the purchase becomes REFUNDED if it was not yet. Idempotent: a repeat (or the refund-rollback job) " +
    "changes nothing and answers the same with `revoked: 0`. 404 PURCHASE_NOT_FOUND when nothing matches; 409 INVALID_STATUS_TRANSITION for a " +
    "PENDING or CANCELLED purchase.",
  allow: OPERATORS,
  body: RefundRollbackInput,
  responses: { 200: { description: "What was given back", schema: RefundRollbackResult } },
  errors: ["PURCHASE_NOT_FOUND", "INVALID_STATUS_TRANSITION"],
});

export const reportOrderRefund = defineOperation({
  operationId: "reportOrderRefund",
  method: "POST",
  path: "/api/internal/promo/purchases/{orderId}/refund",
  tag: "Promo checkout",
  summary: "Report an order's refund",
  description:
    "The order's PAID purchases (only that seller's with `businessId`) become REFUNDED with the date and reason, each audited (REFUND); the " +
    "refund-rollback job gives their coupon uses back within 5 minutes (or POST /api/internal/promo/refund-rollback at once). Idempotent: a " +
    "purchase already refunded keeps its first date and reason. 404 PURCHASE_NOT_FOUND when the order (of that seller) has no purchase; 409 " +
    "INVALID_STATUS_TRANSITION when none of them was paid.",
  allow: OPERATORS,
  params: OrderIdParams,
  body: RefundOrderInput,
  responses: { 200: { description: "The order's purchases after the refund", schema: RefundedOrder } },
  errors: ["PURCHASE_NOT_FOUND", "INVALID_STATUS_TRANSITION"],
});

export const promoCheckoutOperations = [redeemPromo, applyPromo, releasePromo, refundRollback, reportOrderRefund];
