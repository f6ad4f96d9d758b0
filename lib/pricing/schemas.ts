import { z } from "zod";

/** Amounts are integer minor units (cents); the cap keeps every sum a safe integer. */
const MAX_CART_AMOUNT = 1_000_000_000_000_000;
const amount = z.number().int().min(0).max(10_000_000_000);

export const CartItem = z.object({
  sku: z.string().trim().min(1).max(200),
  /** The seller of the item: a coupon only discounts its own business's items (seller-funded). */
  businessId: z.string().uuid(),
  unitPrice: amount,
  quantity: z.number().int().min(1).max(100_000),
  /** The seller's own discount on the whole line, in minor units, applied before any coupon. */
  itemDiscount: amount.default(0),
});
export type CartItem = z.infer<typeof CartItem>;

/** DESIGN §7: `{ currency, items, shipping?, taxRate? }`, taxRate in basis points (2100 = 21 %). */
export const Cart = z
  .object({
    currency: z.string().regex(/^[A-Z]{3}$/, "must be an ISO 4217 code such as USD"),
    items: z.array(CartItem).min(1).max(500),
    shipping: amount.default(0),
    taxRate: z.number().int().min(0).max(10_000).default(0),
  })
  .superRefine((cart, ctx) => {
    let total = cart.shipping;
    cart.items.forEach((item, index) => {
      const line = item.unitPrice * item.quantity;
      total += line;
      if (item.itemDiscount > line) {
        ctx.addIssue({ code: "custom", path: ["items", index, "itemDiscount"], message: "cannot exceed the line's price" });
      }
    });
    if (total > MAX_CART_AMOUNT) ctx.addIssue({ code: "custom", path: ["items"], message: "the cart total is too large" });
  });
export type Cart = z.infer<typeof Cart>;

/** The businesses of a cart's items, in item order, each once: where a code is looked up (DESIGN §7). */
export const cartBusinesses = (cart: Pick<Cart, "items">) => [...new Set(cart.items.map((item) => item.businessId))];
