import { itemKey, type ItemNames } from "@/components/checkout/price-tower";
import type { SellerGroup } from "@/components/checkout/cart-lines";
import type { CartView } from "@/lib/shop/cart";

/** The cart's lines grouped by seller (in the catalogue's order), each marked where the reserved coupon applies. */
export function sellerGroups(cart: CartView): SellerGroup[] {
  const eligible = new Set(cart.tower?.items.filter((item) => item.couponEligible && cart.tower?.coupon).map((item) => itemKey(item.businessId, item.sku)));
  const groups = new Map<string, SellerGroup>();
  for (const { product, quantity, amount } of cart.lines) {
    const group = groups.get(product.businessId) ?? { businessId: product.businessId, sellerName: product.sellerName, lines: [] };
    group.lines.push({
      productId: product.id,
      name: product.name,
      unitPrice: product.unitPrice,
      quantity,
      amount,
      couponEligible: eligible.has(itemKey(product.businessId, product.sku)),
    });
    groups.set(product.businessId, group);
  }
  return [...groups.values()];
}

/** Each tower item's catalogue name and seller. */
export function itemNames(items: { businessId: string; sku: string; name: string; sellerName: string }[]): ItemNames {
  return Object.fromEntries(items.map((item) => [itemKey(item.businessId, item.sku), { name: item.name, sellerName: item.sellerName }]));
}

export const cartItemNames = (cart: CartView) => itemNames(cart.lines.map(({ product }) => product));

/** The seller whose items the reserved coupon discounts. */
export function couponSellerName(cart: CartView): string | null {
  const businessId = cart.tower?.coupon?.businessId;
  return businessId ? (cart.lines.find(({ product }) => product.businessId === businessId)?.product.sellerName ?? null) : null;
}
