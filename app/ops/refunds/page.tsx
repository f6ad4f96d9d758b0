import type { Metadata } from "next";
import Link from "next/link";
import { connection } from "next/server";
import type { ReactNode } from "react";
import { formatMoney, utcMinute } from "@/components/format";
import { RefundRollbackForm } from "@/components/ops/refund-rollback-form";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { buttonClasses } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { FieldMessage, Input, Label } from "@/components/ui/field";
import { PageHeader } from "@/components/ui/page-header";
import { db } from "@/db/client";
import { lookupOrder, type OrderPurchase } from "@/lib/refunds/order-lookup";
import { OrderIdParams } from "@/lib/refunds/schemas";
import { opsPageActor } from "../page-context";
import { refundRollbackAction } from "./actions";
import { campaignHref } from "@/components/ops/links";

export const metadata: Metadata = { title: "Refunds" };

const PURCHASE_TONE: Record<OrderPurchase["status"], BadgeTone> = { PAID: "success", REFUNDED: "warning", PENDING: "info", CANCELLED: "neutral" };
const USE_TONE: Record<OrderPurchase["uses"][number]["status"], BadgeTone> = {
  PR_APPLIED: "success",
  PR_REVOKED: "warning",
  PR_RESERVED: "info",
  PR_RELEASED: "neutral",
  PR_EXPIRED: "neutral",
};

const count = (n: number, noun: string) => `${n} ${noun}${n === 1 ? "" : "s"}`;
const one = (value: string | string[] | undefined) => (typeof value === "string" ? value : undefined);
const money = (amount: number | null, currency: string | null) => (amount === null ? "—" : formatMoney(amount, currency ?? "USD"));

/** The search field's message for an id the refunds schema refuses. */
function orderIdProblem(raw: string): string | null {
  const parsed = OrderIdParams.safeParse({ orderId: raw });
  if (parsed.success) return null;
  const issue = parsed.error.issues[0]!;
  if (issue.code === "too_small") return "Enter an order id";
  if (issue.code === "too_big") return "An order id has at most 200 characters";
  return `The order id ${issue.message}`;
}

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="min-w-0">
      <dt className="text-muted">{label}</dt>
      <dd className="font-medium break-words">{children}</dd>
    </div>
  );
}

/** One seller's purchase of the order: its amounts and state, then its coupon uses. */
function PurchaseCard({ purchase, orderId }: { purchase: OrderPurchase; orderId: string }) {
  const seller = purchase.seller.name ?? purchase.seller.id;
  const headingId = `purchase-${purchase.id}`;
  return (
    <article aria-labelledby={headingId} className="grid min-w-0 gap-4 rounded-lg border border-line bg-white p-4 sm:p-5">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h3 id={headingId} className="text-lg font-semibold">
          {seller}
        </h3>
        <Badge tone={PURCHASE_TONE[purchase.status]}>{purchase.status}</Badge>
      </div>
      <dl className="grid grid-cols-2 gap-3 text-sm sm:grid-cols-3 lg:grid-cols-6">
        <Fact label="Shopper">
          <span className="font-mono text-xs break-all">{purchase.userId}</span>
        </Fact>
        {/* The purchase keeps the quote it was paid at: the whole order's subtotal and total (every
            seller's items) and this seller's coupon discount; the labels say which is which. */}
        <Fact label="Order subtotal">{money(purchase.subtotal, purchase.currency)}</Fact>
        <Fact label="Coupon discount">{money(purchase.discountAmount, purchase.currency)}</Fact>
        <Fact label="Order total">{money(purchase.total, purchase.currency)}</Fact>
        <Fact label="Currency">{purchase.currency}</Fact>
        <Fact label="Paid">{purchase.paidAt ? utcMinute(purchase.paidAt) : "—"}</Fact>
      </dl>
      {purchase.refundedAt ? (
        <p className="rounded-md border border-warning/40 bg-warning/10 px-3 py-2 text-sm">
          Refunded {utcMinute(purchase.refundedAt)}
          {purchase.refundReason ? ` — ${purchase.refundReason}` : ""}
        </p>
      ) : null}
      {purchase.uses.length === 0 ? (
        <p className="text-sm text-muted">No coupon use of this seller carries this order id.</p>
      ) : (
        <div>
          <h4 className="mb-2 text-sm font-semibold">Coupon uses</h4>
          <ul aria-label={`Coupon uses of ${seller} in order ${orderId}`} className="grid gap-2">
            {purchase.uses.map((use) => (
              <li key={use.id} className="rounded-md border border-line p-3 text-sm">
                <div className="flex flex-wrap items-center justify-between gap-2">
                  <Link href={campaignHref(use.campaign.id)} className="font-medium break-words">
                    {use.campaign.name}
                  </Link>
                  <Badge tone={USE_TONE[use.status]}>{use.status}</Badge>
                </div>
                <dl className="mt-2 grid grid-cols-2 gap-3 sm:grid-cols-4">
                  <Fact label="Discount">{money(use.discountAmount, use.currency ?? purchase.currency)}</Fact>
                  <Fact label="Applied">{use.appliedAt ? utcMinute(use.appliedAt) : "—"}</Fact>
                  <Fact label="Revoked">{use.revokedAt ? utcMinute(use.revokedAt) : "—"}</Fact>
                  <Fact label="Reason">{use.reason ?? "—"}</Fact>
                  {/* A use is the purchase's shopper's; another id here would be worth a second look. */}
                  {use.userId !== purchase.userId ? (
                    <Fact label="Shopper">
                      <span className="font-mono text-xs break-all">{use.userId}</span>
                    </Fact>
                  ) : null}
                </dl>
              </li>
            ))}
          </ul>
        </div>
      )}
    </article>
  );
}

/**
 * Refunds for ops: look an order up by its id (every seller's purchase of it and their coupon
 * uses, lib/refunds/order-lookup.ts), then roll its coupon uses back with a reason, for the whole
 * order or one seller's purchase: the refund-rollback endpoint's service, audited as this operator.
 */
export default async function RefundsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await connection();
  await opsPageActor("/ops/refunds");
  const raw = one((await searchParams).orderId);
  const problem = raw === undefined ? null : orderIdProblem(raw);
  const orderId = raw !== undefined && !problem ? OrderIdParams.parse({ orderId: raw }).orderId : null;
  const order = orderId ? await lookupOrder(db, orderId) : null;

  return (
    <>
      <PageHeader title="Refunds" description="Look up an order, see its coupon uses per seller, and give a refunded order's uses back." />
      <form method="get" action="/ops/refunds" role="search" aria-label="Look up an order" className="mb-6 flex flex-wrap items-start gap-3">
        <div className="min-w-0 flex-1 sm:max-w-md">
          <Label htmlFor="refunds-order-id">Order id</Label>
          <Input
            id="refunds-order-id"
            name="orderId"
            type="search"
            defaultValue={raw ?? ""}
            autoComplete="off"
            spellCheck={false}
            aria-invalid={problem ? true : undefined}
            aria-describedby="refunds-order-id-hint"
          />
          <FieldMessage id="refunds-order-id-hint" tone={problem ? "error" : "muted"}>
            {problem ?? "As the store sent it, e.g. SO-3f2a9c1e-…"}
          </FieldMessage>
        </div>
        <button type="submit" className={buttonClasses("primary", "md", "sm:mt-5")}>
          Look up
        </button>
      </form>

      {orderId === null ? (
        problem ? null : (
          <EmptyState title="Look up an order">
            Enter the order id from the refund request. The page shows every seller&apos;s purchase of that order and the coupon uses it consumed.
          </EmptyState>
        )
      ) : order === null ? (
        <EmptyState title={`No order “${orderId}”`}>
          No purchase carries this order id, so there is no coupon use to roll back. Check the id: order ids are matched exactly, including their case.
        </EmptyState>
      ) : (
        <div className="grid gap-6">
          <section aria-labelledby="order-title" className="grid gap-4">
            <div>
              <h2 id="order-title" className="text-xl font-semibold break-all">
                Order <span className="font-mono">{order.orderId}</span>
              </h2>
              <p className="text-sm text-muted">
                {count(order.purchases.length, "seller")} with a coupon in this order ·{" "}
                {count(order.purchases.reduce((n, p) => n + p.uses.filter((u) => u.status === "PR_APPLIED").length, 0), "coupon use")} standing
              </p>
            </div>
            {order.purchases.map((purchase) => (
              <PurchaseCard key={purchase.id} purchase={purchase} orderId={order.orderId} />
            ))}
          </section>
          <RefundRollbackForm
            key={order.orderId}
            orderId={order.orderId}
            targets={order.purchases.map((p) => ({ purchaseId: p.id, sellerName: p.seller.name ?? p.seller.id, status: p.status }))}
            rollback={refundRollbackAction}
          />
        </div>
      )}
    </>
  );
}
