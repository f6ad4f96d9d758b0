import type { Operation } from "../operation";
import { assignmentOperations } from "./assignments";
import { couponBookOperations } from "./coupon-books";
import { couponCodeOperations } from "./coupon-codes";
import { couponOperations } from "./coupons";
import { opsOperations } from "./ops";
import { platformOperations } from "./platform";
import { promoCheckoutOperations } from "./promo-checkout";

/** Every operation of the API, as published at /api/openapi.json (a route file without one fails the contract test). */
export const OPERATIONS: readonly Operation[] = [
  ...couponBookOperations,
  ...couponCodeOperations,
  ...assignmentOperations,
  ...couponOperations,
  ...promoCheckoutOperations,
  ...opsOperations,
  ...platformOperations,
] as Operation[];
