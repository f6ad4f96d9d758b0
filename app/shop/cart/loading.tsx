import { CartSkeleton } from "@/components/shop/cart-skeleton";

export default function CartLoading() {
  return <CartSkeleton label="Loading your cart…" />;
}
