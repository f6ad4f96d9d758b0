import type { Metadata } from "next";
import Link from "next/link";
import { connection } from "next/server";
import { itemNames } from "@/app/shop/checkout-view";
import { shopperPageActor } from "@/app/shop/page-context";
import { PriceTower } from "@/components/checkout/price-tower";
import { formatMoney, utcMinute } from "@/components/format";
import { Alert } from "@/components/ui/alert";
import { buttonClasses } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { db } from "@/db/client";
import { getOrder } from "@/lib/shop/get-order";

export const metadata: Metadata = { title: "Order placed" };

/** The order confirmation Pay leads to: the order id, its lines, the discount and the total as paid. */
export default async function OrderPlacedPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await connection();
  const shopper = await shopperPageActor("/shop/checkout/done");
  const { order: orderParam } = await searchParams;
  const order = typeof orderParam === "string" && orderParam.length <= 200 ? await getOrder(db, shopper, orderParam) : null;

  if (!order) {
    return (
      <>
        <PageHeader title="Order not found" />
        <EmptyState
          title="We could not find this order"
          action={
            <Link href="/shop/orders" className={buttonClasses()}>
              Your orders
            </Link>
          }
        >
          The link may be incomplete. Your orders page lists every order you placed.
        </EmptyState>
      </>
    );
  }

  return (
    <div className="mx-auto max-w-2xl">
      <PageHeader title="Thank you: your order is placed" description={<>Placed {utcMinute(order.placedAt)}</>} />
      <Alert tone="info" className="mb-4">
        Order <strong data-testid="order-id">{order.orderId}</strong> · total {formatMoney(order.total, order.currency)}
        {order.couponCode ? (
          <>
            {" "}
            · coupon <code>{order.couponCode}</code> saved you {formatMoney(order.discountAmount, order.currency)}
          </>
        ) : null}
      </Alert>
      <section aria-labelledby="order-lines" className="rounded-lg border border-line bg-white p-4">
        <h2 id="order-lines" className="mb-3 text-base font-semibold">
          What you ordered
        </h2>
        <PriceTower tower={order.priceTower} couponCode={order.couponCode} names={itemNames(order.items)} showItems label="Price paid" />
      </section>
      <div className="mt-6 flex flex-wrap gap-2">
        <Link href="/shop/orders" className={buttonClasses()}>
          Your orders
        </Link>
        <Link href="/shop" className={buttonClasses("secondary")}>
          Keep shopping
        </Link>
      </div>
    </div>
  );
}
