import type { Metadata } from "next";
import Link from "next/link";
import { connection } from "next/server";
import { discountLabel, formatMoney, utcMinute } from "@/components/format";
import { OfferClaim } from "@/components/shop/offer-claim";
import { buttonClasses } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { db } from "@/db/client";
import { listOffers } from "@/lib/shop/offers";
import { claimOfferAction } from "../actions";
import { shopperPageActor } from "../page-context";

export const metadata: Metadata = { title: "Offers" };

/**
 * The offers shoppers may claim themselves (books whose seller turned self-service on, running
 * now): each with its terms and a Claim button, a random code of the book through the coupon API's
 * own assignment (its per-shopper limit and row locks; lib/shop/offers.ts).
 */
export default async function OffersPage() {
  await connection();
  const shopper = await shopperPageActor("/shop/offers");
  const offers = await listOffers(db, shopper);

  return (
    <>
      <PageHeader
        title="Offers"
        description="Claim a code here; it goes to your wallet, ready to apply at checkout."
        actions={
          <Link href="/shop/wallet" className={buttonClasses("secondary")}>
            Your wallet
          </Link>
        }
      />
      {offers.length === 0 ? (
        <EmptyState
          title="No offers right now"
          action={
            <Link href="/shop" className={buttonClasses("secondary")}>
              Browse products
            </Link>
          }
        >
          When a seller opens a promotion to everyone, it shows here for you to claim.
        </EmptyState>
      ) : (
        <ul className="grid gap-4 md:grid-cols-2" aria-label="Offers">
          {offers.map((offer) => (
            <li key={offer.couponBookId}>
              <article aria-labelledby={`offer-${offer.couponBookId}`} className="flex h-full flex-col gap-3 rounded-lg border border-line bg-white p-4 sm:p-5">
                <div>
                  <p className="text-sm text-muted">{offer.sellerName}</p>
                  <h2 id={`offer-${offer.couponBookId}`} className="text-lg font-semibold">
                    {offer.name}
                  </h2>
                </div>
                <p className="text-2xl font-semibold text-accent-strong">{discountLabel(offer)}</p>
                {offer.description ? <p className="text-sm text-muted">{offer.description}</p> : null}
                <dl className="grid grid-cols-2 gap-3 text-sm">
                  <div>
                    <dt className="text-muted">Minimum order</dt>
                    <dd className="font-medium">{offer.minOrderAmount > 0 ? `${formatMoney(offer.minOrderAmount, offer.currency)} from ${offer.sellerName}` : "None"}</dd>
                  </div>
                  <div>
                    <dt className="text-muted">Expires</dt>
                    <dd className="font-medium">{offer.expiresAt ? utcMinute(offer.expiresAt) : "No end date"}</dd>
                  </div>
                </dl>
                <div className="mt-auto border-t border-line pt-3">
                  <OfferClaim
                    couponBookId={offer.couponBookId}
                    offerName={offer.name}
                    held={offer.held}
                    maxPerShopper={offer.maxPerShopper}
                    hasCodesLeft={offer.hasCodesLeft}
                    claimOffer={claimOfferAction}
                  />
                </div>
              </article>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
