"use client";

import Link from "next/link";
import { createContext, useContext, useState, type ReactNode } from "react";
import { Button, buttonClasses } from "@/components/ui/button";
import { toast } from "@/components/ui/toaster";
import type { ActionResult } from "@/lib/http/server-action";
import type { CartView } from "@/lib/shop/cart";

/** The catalogue's view of the cart: how many of each product, and the item count. */
export interface CartSummary {
  quantities: Record<string, number>;
  itemCount: number;
}

type SetCartLine = (input: unknown) => Promise<ActionResult<{ cart: CartView; couponMessage?: string }>>;

interface CartState extends CartSummary {
  /** Products whose change is in flight. */
  pending: ReadonlySet<string>;
  maxQuantity: number;
  setQuantity: (product: { id: string; name: string }, quantity: number) => Promise<void>;
}

const CartContext = createContext<CartState | null>(null);

function useCart() {
  const cart = useContext(CartContext);
  if (!cart) throw new Error("Cart controls must sit inside <CatalogueCart>");
  return cart;
}

const summarize = (cart: Pick<CartView, "lines" | "itemCount">): CartSummary => ({
  quantities: Object.fromEntries(cart.lines.map((line) => [line.product.id, line.quantity])),
  itemCount: cart.itemCount,
});

/**
 * The catalogue's cart state, shared by every product's control and the cart link. It starts from
 * the cart the server read (viewCart), and each change takes the action's answer, the cart as the
 * database now holds it, so the page never shows a quantity it only hoped for.
 */
export function CatalogueCart({ initial, maxQuantity, setCartLine, children }: { initial: CartSummary; maxQuantity: number; setCartLine: SetCartLine; children: ReactNode }) {
  const [cart, setCart] = useState(initial);
  const [pending, setPending] = useState<ReadonlySet<string>>(new Set());

  async function setQuantity(product: { id: string; name: string }, quantity: number) {
    const before = cart.quantities[product.id] ?? 0;
    setPending((current) => new Set(current).add(product.id));
    try {
      const result = await setCartLine({ productId: product.id, quantity });
      if (!result.ok) {
        toast.error(result.error);
        return;
      }
      setCart(summarize(result.data.cart));
      const now = result.data.cart.lines.find((line) => line.product.id === product.id)?.quantity ?? 0;
      toast.success(now === 0 ? `Removed ${product.name} from your cart` : before === 0 ? `Added ${product.name} to your cart` : `${product.name}: ${now} in your cart`);
      // The coupon priced the old cart; when the new one no longer qualifies, the service took it off.
      if (result.data.couponMessage) toast.info(result.data.couponMessage);
    } catch {
      toast.error("Your cart could not be updated. Check your connection and try again.");
    } finally {
      setPending((current) => {
        const next = new Set(current);
        next.delete(product.id);
        return next;
      });
    }
  }

  return <CartContext.Provider value={{ ...cart, pending, maxQuantity, setQuantity }}>{children}</CartContext.Provider>;
}

/** The link to the cart, with what it holds. */
export function CartLink() {
  const { itemCount } = useCart();
  return (
    <Link href="/shop/cart" className={buttonClasses("secondary")}>
      Cart · {itemCount} item{itemCount === 1 ? "" : "s"}
    </Link>
  );
}

/** "Add to cart", then a quantity stepper once the product is in the cart (0 removes it). */
export function QuantityControl({ product }: { product: { id: string; name: string } }) {
  const { quantities, pending, maxQuantity, setQuantity } = useCart();
  const quantity = quantities[product.id] ?? 0;
  const busy = pending.has(product.id);

  if (quantity === 0) {
    return (
      <Button variant="primary" size="sm" pending={busy} onClick={() => void setQuantity(product, 1)}>
        Add to cart<span className="sr-only">: {product.name}</span>
      </Button>
    );
  }
  return (
    <div role="group" aria-label={`Quantity of ${product.name}`} aria-busy={busy || undefined} className="inline-flex items-center gap-2">
      <Button variant="secondary" size="sm" disabled={busy} aria-label={quantity === 1 ? `Remove ${product.name} from cart` : `One less ${product.name}`} onClick={() => void setQuantity(product, quantity - 1)}>
        <span aria-hidden="true">−</span>
      </Button>
      <span className="min-w-16 text-center text-sm tabular-nums" aria-live="polite">
        {quantity} in cart
      </span>
      <Button variant="secondary" size="sm" disabled={busy || quantity >= maxQuantity} aria-label={`One more ${product.name}`} onClick={() => void setQuantity(product, quantity + 1)}>
        <span aria-hidden="true">+</span>
      </Button>
    </div>
  );
}
