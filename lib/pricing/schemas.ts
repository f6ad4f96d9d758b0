import { z } from "zod";
import { text } from "@/lib/validation";
import { MAX_MONEY, money, mulDivHalfUpBig } from "./money";

export const CartItem = z.object({
  sku: text().trim().min(1).max(200),
  /** The seller of the item: a coupon only discounts its own business's items (seller-funded). */
  businessId: text().uuid().describe("The item's seller: a coupon only discounts its own business's items"),
  unitPrice: money,
  quantity: z.number().int().min(1).max(100_000),
  /** The seller's own discount on the whole line, in minor units, applied before any coupon. */
  itemDiscount: money.default(0).describe("The seller's own discount on the whole line, applied before any coupon"),
});
export type CartItem = z.infer<typeof CartItem>;

/** DESIGN §7: `{ currency, items, shipping?, taxRate? }`, taxRate in basis points (2100 = 21 %). */
export const Cart = z
  .object({
    currency: text().regex(/^[A-Z]{3}$/, "must be an ISO 4217 code such as USD"),
    items: z.array(CartItem).min(1).max(500),
    shipping: money.default(0),
    taxRate: z.number().int().min(0).max(10_000).default(0).describe("Basis points: 2100 = 21 %"),
  })
  .superRefine((cart, ctx) => {
    // BigInt: a line of MAX_MONEY × 100,000 is not a safe integer, and the check must see it exactly.
    const max = BigInt(MAX_MONEY);
    let itemsAmount = 0n;
    let itemDiscounts = 0n;
    cart.items.forEach((item, index) => {
      const line = BigInt(item.unitPrice) * BigInt(item.quantity);
      itemsAmount += line;
      itemDiscounts += BigInt(item.itemDiscount);
      if (line > max) {
        ctx.addIssue({ code: "custom", path: ["items", index, "quantity"], message: `unitPrice × quantity exceeds ${MAX_MONEY} minor units` });
      } else if (BigInt(item.itemDiscount) > line) {
        ctx.addIssue({ code: "custom", path: ["items", index, "itemDiscount"], message: "cannot exceed the line's price" });
      }
    });
    if (itemsAmount > max) {
      ctx.addIssue({ code: "custom", path: ["items"], message: `the items add up past ${MAX_MONEY} minor units` });
      return;
    }
    // The total without a coupon bounds every line of the tower: a coupon only lowers what is taxed.
    const taxable = itemsAmount - itemDiscounts + BigInt(cart.shipping);
    const total = taxable + mulDivHalfUpBig(taxable, BigInt(cart.taxRate), 10_000n);
    if (total > max) {
      ctx.addIssue({ code: "custom", path: ["total"], message: `the cart's total (items, shipping and tax) exceeds ${MAX_MONEY} minor units` });
    }
  })
  .meta({
    id: "Cart",
    description: "Amounts in integer minor units of `currency`, each at most 10^15, and so is what the cart adds up to. A coupon discounts only its own seller's items.",
  });
export type Cart = z.infer<typeof Cart>;

/** The businesses of a cart's items, in item order, each once: where a code is looked up (DESIGN §7). */
export const cartBusinesses = (cart: Pick<Cart, "items">) => [...new Set(cart.items.map((item) => item.businessId))];
