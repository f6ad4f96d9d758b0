/**
 * The demo store's terms: one currency, a flat shipping fee (a FREE_SHIPPING coupon takes it off),
 * and one tax rate on items after discounts plus shipping (DESIGN §7's price tower).
 */
export const STORE = {
  currency: "USD",
  /** Minor units: $4.99. */
  shipping: 499,
  /** Basis points: 8 %. */
  taxRate: 800,
  /** Most units of one product a cart line holds. */
  maxQuantity: 99,
} as const;
