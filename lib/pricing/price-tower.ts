import { z } from "zod";
import { wireId, wireMoney } from "@/lib/wire";
import { mulDivHalfUp } from "./money";
import type { Cart } from "./schemas";

/** The discount terms of a coupon book, as copied onto each reservation. */
export interface CouponTerms {
  couponBookId: string;
  businessId: string;
  discountType: "PERCENT" | "FIXED" | "FREE_SHIPPING";
  /** PERCENT: whole percent 1–100; FIXED: minor units; FREE_SHIPPING: unused. */
  discountValue: number;
  currency: string;
  minOrderAmount: number;
  maxDiscountAmount: number | null;
  /** What is left of the campaign's budget (applied plus live reservations deducted); null when uncapped. */
  remainingBudget: number | null;
}

/** One cart line as the tower priced it. */
export const TowerItem = z
  .strictObject({
    sku: z.string(),
    businessId: wireId.describe("The seller of the item"),
    quantity: z.number().int().min(1),
    unitPrice: wireMoney,
    listAmount: wireMoney.describe("unitPrice × quantity"),
    itemDiscount: wireMoney.describe("The seller's own discount on the line, before any coupon"),
    netAmount: wireMoney.describe("listAmount − itemDiscount"),
    couponEligible: z.boolean().describe("The coupon's business sold it, so the coupon may discount it"),
  })
  .meta({ id: "PriceTowerItem" });
export type TowerItem = z.infer<typeof TowerItem>;

/** The coupon a tower was priced with: seller-funded, on its own business's items only. */
export const TowerCoupon = z
  .strictObject({
    couponBookId: wireId,
    businessId: wireId,
    discountType: z.enum(["PERCENT", "FIXED", "FREE_SHIPPING"]),
    discountValue: z.number().int().min(0).describe("PERCENT: whole percent 1–100; FIXED: minor units; FREE_SHIPPING: unused"),
    eligibleSubtotal: wireMoney.describe("Net amount of the coupon business's items: what minOrderAmount and PERCENT apply to"),
    discountAmount: wireMoney.describe("couponDiscount + shippingDiscount: what the seller funds"),
    cappedBy: z.enum(["MAX_DISCOUNT", "BUDGET"]).nullable().describe("Which limit cut the discount down, if any"),
  })
  .meta({ id: "PriceTowerCoupon" });
export type TowerCoupon = z.infer<typeof TowerCoupon>;

/**
 * DESIGN §7, every line in calculation order, integer minor units:
 * items at list price → seller item discounts → subtotal → coupon on the eligible items →
 * shipping (a FREE_SHIPPING coupon discounts it) → tax on (discounted items + shipping) → total.
 */
export const PriceTower = z
  .strictObject({
    currency: z.string(),
    items: z.array(TowerItem),
    itemsAmount: wireMoney,
    itemDiscounts: wireMoney,
    subtotal: wireMoney.describe("itemsAmount − itemDiscounts"),
    couponDiscount: wireMoney.describe("What the coupon takes off the eligible items"),
    shipping: wireMoney,
    shippingDiscount: wireMoney.describe("What a FREE_SHIPPING coupon takes off the shipping"),
    taxRate: z.number().int().min(0).max(10_000).describe("Basis points: 2100 = 21 %"),
    taxableAmount: wireMoney.describe("subtotal − couponDiscount + shipping − shippingDiscount"),
    tax: wireMoney.describe("taxableAmount × taxRate, rounded half up once"),
    total: wireMoney,
    coupon: TowerCoupon.nullable().describe("The coupon the cart was priced with; null for the cart without one"),
  })
  .meta({
    id: "PriceTower",
    description:
      "The cart priced line by line (DESIGN §7), in minor units: items at list price → seller item discounts → subtotal → coupon on its seller's items → shipping (a FREE_SHIPPING coupon discounts it) → tax → total.",
  });
export type PriceTower = z.infer<typeof PriceTower>;

export type NotApplicableReason = "CURRENCY_MISMATCH" | "NO_ELIGIBLE_ITEMS" | "BELOW_MINIMUM" | "NOTHING_TO_DISCOUNT";

export type Quote =
  | { applicable: true; discountAmount: number; tower: PriceTower }
  | { applicable: false; reason: NotApplicableReason; discountAmount: 0; tower: PriceTower };

function pricedItems(cart: Cart, couponBusinessId: string | null): TowerItem[] {
  return cart.items.map((item) => {
    const listAmount = item.unitPrice * item.quantity;
    return {
      sku: item.sku,
      businessId: item.businessId,
      quantity: item.quantity,
      unitPrice: item.unitPrice,
      listAmount,
      itemDiscount: item.itemDiscount,
      netAmount: listAmount - item.itemDiscount,
      couponEligible: item.businessId === couponBusinessId,
    };
  });
}

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

function assemble(cart: Cart, items: TowerItem[], coupon: TowerCoupon | null, couponDiscount: number, shippingDiscount: number): PriceTower {
  const itemsAmount = sum(items.map((i) => i.listAmount));
  const itemDiscounts = sum(items.map((i) => i.itemDiscount));
  const subtotal = itemsAmount - itemDiscounts;
  const taxableAmount = subtotal - couponDiscount + (cart.shipping - shippingDiscount);
  const tax = mulDivHalfUp(taxableAmount, cart.taxRate, 10_000);
  return {
    currency: cart.currency,
    items,
    itemsAmount,
    itemDiscounts,
    subtotal,
    couponDiscount,
    shipping: cart.shipping,
    shippingDiscount,
    taxRate: cart.taxRate,
    taxableAmount,
    tax,
    total: Math.max(0, taxableAmount + tax),
    coupon,
  };
}

/** The cart priced without any coupon. */
export function priceCart(cart: Cart): PriceTower {
  return assemble(cart, pricedItems(cart, null), null, 0, 0);
}

/**
 * Prices the cart with one coupon (seller-funded: only its business's items). Rounding: a PERCENT
 * discount and the tax are each computed once on their base and rounded half up to the minor unit.
 * The discount is then capped by maxDiscountAmount and by the remaining budget, in that order.
 */
export function quoteCoupon(cart: Cart, terms: CouponTerms): Quote {
  const notApplicable = (reason: NotApplicableReason): Quote => ({ applicable: false, reason, discountAmount: 0, tower: priceCart(cart) });
  if (cart.currency !== terms.currency) return notApplicable("CURRENCY_MISMATCH");

  const items = pricedItems(cart, terms.businessId);
  if (!items.some((item) => item.couponEligible)) return notApplicable("NO_ELIGIBLE_ITEMS");
  const eligibleSubtotal = sum(items.filter((i) => i.couponEligible).map((i) => i.netAmount));
  if (eligibleSubtotal < terms.minOrderAmount) return notApplicable("BELOW_MINIMUM");

  let itemsPart = 0;
  let shippingPart = 0;
  if (terms.discountType === "PERCENT") itemsPart = mulDivHalfUp(eligibleSubtotal, terms.discountValue, 100);
  else if (terms.discountType === "FIXED") itemsPart = Math.min(terms.discountValue, eligibleSubtotal);
  else shippingPart = cart.shipping;

  let cappedBy: TowerCoupon["cappedBy"] = null;
  let discountAmount = itemsPart + shippingPart;
  if (terms.maxDiscountAmount !== null && discountAmount > terms.maxDiscountAmount) {
    discountAmount = terms.maxDiscountAmount;
    cappedBy = "MAX_DISCOUNT";
  }
  if (terms.remainingBudget !== null && discountAmount > terms.remainingBudget) {
    discountAmount = Math.max(0, terms.remainingBudget);
    cappedBy = "BUDGET";
  }
  if (discountAmount === 0) return notApplicable("NOTHING_TO_DISCOUNT");
  // A cap shrinks whichever part the coupon discounts (only one of them is non-zero).
  const couponDiscount = Math.min(itemsPart, discountAmount);
  const shippingDiscount = discountAmount - couponDiscount;

  const coupon: TowerCoupon = {
    couponBookId: terms.couponBookId,
    businessId: terms.businessId,
    discountType: terms.discountType,
    discountValue: terms.discountValue,
    eligibleSubtotal,
    discountAmount,
    cappedBy,
  };
  return { applicable: true, discountAmount, tower: assemble(cart, items, coupon, couponDiscount, shippingDiscount) };
}
