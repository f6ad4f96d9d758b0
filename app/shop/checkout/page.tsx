import type { Metadata } from "next";
import Link from "next/link";
import { connection } from "next/server";
import { applyCouponAction, placeOrderAction, removeCouponAction } from "@/app/shop/actions";
import { cartItemNames, couponSellerName } from "@/app/shop/checkout-view";
import { shopperPageActor } from "@/app/shop/page-context";
import { CouponField } from "@/components/checkout/coupon-field";
import { PayButton } from "@/components/checkout/pay-button";
import { PriceTower } from "@/components/checkout/price-tower";
import { formatMoney } from "@/components/format";
import { buttonClasses } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { db } from "@/db/client";
import { viewCart } from "@/lib/shop/cart";

export const metadata: Metadata = { title: "Checkout" };

/** Review and pay: the items and the price tower as they will be charged, the coupon field, and Pay. */
export default async function CheckoutPage() {
  await connection();
  const shopper = await shopperPageActor("/shop/checkout");
  const cart = await viewCart(db, shopper);

  if (!cart.tower) {
    return (
      <>
        <PageHeader title="Checkout" />
        <EmptyState
          title="Nothing to pay for"
          action={
            <Link href="/shop" className={buttonClasses()}>
              Browse products
            </Link>
          }
        >
          Your cart is empty.
        </EmptyState>
      </>
    );
  }

  return (
    <>
      <p className="mb-2 text-sm">
        <Link href="/shop/cart">← Back to your cart</Link>
      </p>
      <PageHeader title="Checkout" description="Check your order, apply a coupon, and pay." />
      <div className="grid gap-6 lg:grid-cols-[minmax(0,1fr)_24rem] lg:items-start">
        <section aria-labelledby="review-title" className="rounded-lg border border-line bg-white p-4">
          <h2 id="review-title" className="mb-3 text-base font-semibold">
            Your order
          </h2>
          <PriceTower tower={cart.tower} couponCode={cart.coupon?.code ?? null} names={cartItemNames(cart)} showItems label="Price of your order" />
        </section>
        <aside aria-label="Payment" className="grid gap-4">
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
          <PayButton
            checkoutId={cart.checkoutId}
            total={formatMoney(cart.tower.total, cart.tower.currency)}
            couponLapsed={cart.coupon?.status === "LAPSED" ? cart.coupon.code : null}
            action={placeOrderAction}
          />
        </aside>
      </div>
    </>
  );
}
