import type { Metadata } from "next";
import Link from "next/link";
import { connection } from "next/server";
import type { ReactNode } from "react";
import { discountLabel, formatMoney, utcMinute } from "@/components/format";
import { CopyCodeButton } from "@/components/shop/copy-code-button";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { buttonClasses } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { db } from "@/db/client";
import { listWallet, type WalletCoupon, type WalletStatus } from "@/lib/shop/wallet";
import { shopperPageActor } from "../page-context";

export const metadata: Metadata = { title: "Wallet" };

const STATUS_TONE: Record<WalletStatus, BadgeTone> = {
  ASSIGNED: "success",
  RESERVED: "info",
  REDEEMED: "neutral",
  EXPIRED: "danger",
  REVOKED: "warning",
};

/** What each status means for the shopper, under the badge (the badge's text is the status itself). */
function statusNote(coupon: WalletCoupon) {
  switch (coupon.status) {
    case "ASSIGNED":
      return coupon.paused ? "The promotion is paused right now: the code works again when the seller resumes it." : "Ready to apply at checkout.";
    case "RESERVED":
      return "Held for your checkout. Pay before then, or it goes back to your wallet.";
    case "REDEEMED":
      return "Used: it discounted an order.";
    case "EXPIRED":
      return "The promotion has ended.";
    case "REVOKED":
      return "A refund gave this code's use back: you can use it again.";
  }
}

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="min-w-0">
      <dt className="text-muted">{label}</dt>
      <dd className="font-medium break-words">{children}</dd>
    </div>
  );
}

/**
 * The shopper's coupons, newest first (lib/shop/wallet.ts): each code with a copy button, where it
 * stands (assigned, reserved until…, redeemed, expired, revoked), uses left and the promotion's terms.
 */
export default async function WalletPage() {
  await connection();
  const shopper = await shopperPageActor("/shop/wallet");
  const coupons = await listWallet(db, shopper);

  return (
    <>
      <PageHeader
        title="Wallet"
        description={coupons.length === 0 ? "Your coupon codes." : `${coupons.length} coupon code${coupons.length === 1 ? "" : "s"}, newest first.`}
        actions={
          <Link href="/shop/offers" className={buttonClasses("secondary")}>
            Find offers
          </Link>
        }
      />
      {coupons.length === 0 ? (
        <EmptyState
          title="No coupons yet"
          action={
            <Link href="/shop/offers" className={buttonClasses("primary")}>
              See the offers
            </Link>
          }
        >
          Claim a code on the offers page and it appears here, ready to apply at checkout.
        </EmptyState>
      ) : (
        <ul className="grid gap-4 md:grid-cols-2" aria-label="Your coupons">
          {coupons.map((coupon) => (
            <li key={coupon.id}>
              <article aria-labelledby={`coupon-${coupon.id}`} className="flex h-full flex-col gap-3 rounded-lg border border-line bg-white p-4 sm:p-5">
                <div className="flex flex-wrap items-start justify-between gap-2">
                  <div className="min-w-0">
                    <p className="text-sm text-muted">
                      {coupon.sellerName} · {coupon.promotion}
                    </p>
                    <h2 id={`coupon-${coupon.id}`} className="font-mono text-xl font-semibold tracking-wide break-all">
                      {coupon.code}
                    </h2>
                  </div>
                  <CopyCodeButton code={coupon.code} />
                </div>
                <div>
                  <Badge tone={STATUS_TONE[coupon.status]}>
                    {coupon.status}
                    {coupon.status === "RESERVED" && coupon.reservedUntil ? ` until ${utcMinute(coupon.reservedUntil)}` : ""}
                  </Badge>
                  {coupon.paused && coupon.status !== "ASSIGNED" ? <Badge tone="warning" className="ml-2">PAUSED</Badge> : null}
                  <p className="mt-1 text-sm text-muted">{statusNote(coupon)}</p>
                </div>
                <dl className="grid grid-cols-2 gap-3 text-sm">
                  <Fact label="Discount">{discountLabel(coupon)}</Fact>
                  <Fact label="Uses left">
                    {coupon.usesLeft} of {coupon.maxUses}
                  </Fact>
                  <Fact label="Minimum order">{coupon.minOrderAmount > 0 ? formatMoney(coupon.minOrderAmount, coupon.currency) : "None"}</Fact>
                  <Fact label="Expires">{coupon.expiresAt ? utcMinute(coupon.expiresAt) : "No end date"}</Fact>
                </dl>
              </article>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
