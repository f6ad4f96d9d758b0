import type { Metadata } from "next";
import Link from "next/link";
import { connection } from "next/server";
import type { ReactNode } from "react";
import { formatMoney, utcMinute } from "@/components/format";
import { Badge } from "@/components/ui/badge";
import { buttonClasses } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { db } from "@/db/client";
import { listOrders, type OrderView } from "@/lib/shop/orders";
import { shopperPageActor } from "../page-context";

export const metadata: Metadata = { title: "Orders" };

/** "SO-3f2a9c1e…": the order id's first characters, enough to tell orders apart on a card. */
const shortId = (orderId: string) => (orderId.length > 11 ? `${orderId.slice(0, 11)}…` : orderId);

function Line({ label, amount, currency, strong }: { label: ReactNode; amount: number; currency: string; strong?: boolean }) {
  return (
    <div className={strong ? "flex justify-between gap-4 border-t border-line pt-1 font-semibold" : "flex justify-between gap-4"}>
      <dt className="min-w-0">{label}</dt>
      <dd className="tabular-nums">{amount < 0 ? `−${formatMoney(-amount, currency)}` : formatMoney(amount, currency)}</dd>
    </div>
  );
}

/** The order's price tower as paid, line by line (stored with the order). */
function PriceBreakdown({ order }: { order: OrderView }) {
  const tower = order.priceTower;
  const money = tower.currency;
  return (
    <details className="rounded-md border border-line bg-panel px-3 py-2 text-sm">
      <summary className="cursor-pointer font-medium">Price breakdown</summary>
      <dl className="mt-2 grid gap-1">
        {tower.items.map((item, i) => (
          <Line key={`${item.sku}-${i}`} label={`${item.sku} × ${item.quantity}`} amount={item.listAmount} currency={money} />
        ))}
        {tower.itemDiscounts > 0 ? <Line label="Seller discounts" amount={-tower.itemDiscounts} currency={money} /> : null}
        <Line label="Subtotal" amount={tower.subtotal} currency={money} strong />
        {tower.couponDiscount > 0 ? <Line label={`Coupon ${order.couponCode ?? ""}`.trim()} amount={-tower.couponDiscount} currency={money} /> : null}
        <Line label="Shipping" amount={tower.shipping} currency={money} />
        {tower.shippingDiscount > 0 ? <Line label="Free shipping" amount={-tower.shippingDiscount} currency={money} /> : null}
        <Line label={`Tax (${tower.taxRate / 100}%)`} amount={tower.tax} currency={money} />
        <Line label="Total" amount={tower.total} currency={money} strong />
      </dl>
    </details>
  );
}

/**
 * The shopper's orders, newest first (lib/shop/orders.ts): when, how many items, the coupon and what
 * it took off, the total, and for a refunded order that the coupon's use was given back.
 */
export default async function OrdersPage() {
  await connection();
  const shopper = await shopperPageActor("/shop/orders");
  const orders = await listOrders(db, shopper);

  return (
    <>
      <PageHeader title="Orders" description={orders.length === 0 ? "What you have bought." : `${orders.length} order${orders.length === 1 ? "" : "s"}, newest first.`} />
      {orders.length === 0 ? (
        <EmptyState
          title="No orders yet"
          action={
            <Link href="/shop" className={buttonClasses("primary")}>
              Browse products
            </Link>
          }
        >
          Orders you pay for at checkout show here, with the coupon they used.
        </EmptyState>
      ) : (
        <ul className="grid gap-4" aria-label="Your orders">
          {orders.map((order) => (
            <li key={order.id}>
              <article aria-labelledby={`order-${order.id}`} className="grid gap-3 rounded-lg border border-line bg-white p-4 sm:p-5">
                <div className="flex flex-wrap items-center justify-between gap-2">
                  <h2 id={`order-${order.id}`} className="font-semibold">
                    Order{" "}
                    <span aria-hidden="true" title={order.orderId} className="font-mono">
                      {shortId(order.orderId)}
                    </span>
                    <span className="sr-only">{order.orderId}</span>
                  </h2>
                  {order.refundedAt ? <Badge tone="warning">REFUNDED</Badge> : <Badge tone="success">PAID</Badge>}
                </div>
                <dl className="grid grid-cols-2 gap-3 text-sm sm:grid-cols-4">
                  <div>
                    <dt className="text-muted">Placed</dt>
                    <dd className="font-medium">{utcMinute(order.placedAt)}</dd>
                  </div>
                  <div>
                    <dt className="text-muted">Items</dt>
                    <dd className="font-medium">{order.itemCount}</dd>
                  </div>
                  <div>
                    <dt className="text-muted">Coupon</dt>
                    <dd className="font-medium break-all">
                      {order.couponCode ? (
                        <>
                          <code>{order.couponCode}</code> · −{formatMoney(order.discountAmount, order.currency)}
                        </>
                      ) : (
                        "None"
                      )}
                    </dd>
                  </div>
                  <div>
                    <dt className="text-muted">Total</dt>
                    <dd className="font-semibold tabular-nums">{formatMoney(order.total, order.currency)}</dd>
                  </div>
                </dl>
                {order.refundedAt ? (
                  <div className="rounded-md border border-warning/40 bg-warning/10 px-3 py-2 text-sm">
                    <p className="font-medium">
                      Refunded {utcMinute(order.refundedAt)}
                      {order.couponCode ? " — the coupon's use was given back" : ""}
                    </p>
                    {order.refundReason ? <p className="text-muted">Reason: {order.refundReason}</p> : null}
                  </div>
                ) : null}
                <PriceBreakdown order={order} />
              </article>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
