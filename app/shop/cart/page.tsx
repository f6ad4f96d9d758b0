import type { Metadata } from "next";
import Link from "next/link";
import { connection } from "next/server";
import { applyCouponAction, removeCouponAction, setCartLineAction } from "@/app/shop/actions";
import { cartItemNames, couponSellerName, sellerGroups } from "@/app/shop/checkout-view";
import { shopperPageActor } from "@/app/shop/page-context";
import { CartLines } from "@/components/checkout/cart-lines";
import { CouponField } from "@/components/checkout/coupon-field";
import { PriceTower } from "@/components/checkout/price-tower";
import { buttonClasses } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { db } from "@/db/client";
import { viewCart } from "@/lib/shop/cart";
import { STORE } from "@/lib/shop/store";

export const metadata: Metadata = { title: "Cart" };

/**
 * The shopper's cart: lines by seller with quantities, the price tower line by line (the coupon on
 * its seller's items only), the coupon field, and the way to checkout. Prices are the catalogue's.
 */
export default async function CartPage() {
  await connection();
  const shopper = await shopperPageActor("/shop/cart");
  const cart = await viewCart(db, shopper);
  const items = `${cart.itemCount} item${cart.itemCount === 1 ? "" : "s"}`;

  if (!cart.tower) {
    return (
      <>
        <PageHeader title="Your cart" />
        <EmptyState
          title="Your cart is empty"
          action={
            <Link href="/shop" className={buttonClasses()}>
              Browse products
            </Link>
          }
        >
          Add products from any seller; a coupon takes its discount off its own seller&rsquo;s items.
        </EmptyState>
      </>
    );
  }

  return (
    <>
      <PageHeader title="Your cart" description={`${items} from ${sellerGroups(cart).length} seller${sellerGroups(cart).length === 1 ? "" : "s"}`} />
      <div className="grid gap-6 lg:grid-cols-[minmax(0,1fr)_24rem] lg:items-start">
        <CartLines groups={sellerGroups(cart)} currency={cart.tower.currency} maxQuantity={STORE.maxQuantity} action={setCartLineAction} />
        <aside aria-label="Order summary" className="grid gap-4">
          <div className="rounded-lg border border-line bg-white p-4">
            <h2 className="mb-3 text-base font-semibold">Summary</h2>
            <PriceTower tower={cart.tower} couponCode={cart.coupon?.code ?? null} names={cartItemNames(cart)} label="Price of your cart" />
          </div>
          <CouponField
            key={cart.checkoutId}
            checkoutId={cart.checkoutId}
            coupon={cart.coupon}
            currency={cart.tower.currency}
            sellerName={couponSellerName(cart)}
            serverNow={new Date().toISOString()}
            applyAction={applyCouponAction}
            removeAction={removeCouponAction}
          />
          <Link href="/shop/checkout" className={buttonClasses("primary", "md", "w-full")}>
            Checkout
          </Link>
        </aside>
      </div>
    </>
  );
}
