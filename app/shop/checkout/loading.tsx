import { CartSkeleton } from "@/components/shop/cart-skeleton";

export default function CheckoutLoading() {
  return <CartSkeleton label="Loading your checkout…" />;
}
