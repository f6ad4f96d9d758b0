import { redirect } from "next/navigation";
import type { ReactNode } from "react";
import { AreaNav } from "@/components/area-nav";
import { areaOfPath, canOpenArea, signInUrl } from "@/lib/auth/areas";
import { pageSession } from "@/app/page-session";

const SHOP_AREA = areaOfPath("/shop")!;

/** The shop's pages, in the sub-navigation's order. */
const SHOP_LINKS = [
  { href: "/shop", label: "Products" },
  { href: "/shop/offers", label: "Offers" },
  { href: "/shop/wallet", label: "Wallet" },
  { href: "/shop/cart", label: "Cart", also: ["/shop/checkout"] },
  { href: "/shop/orders", label: "Orders" },
];

/**
 * The shop's guard, like the seller area's: a revoked or missing session signs in again; a seller
 * or ops account is sent to sign in as a shopper and never sees a cart.
 */
export default async function ShopLayout({ children }: { children: ReactNode }) {
  const { actor } = await pageSession();
  if (actor?.kind !== "user") redirect(signInUrl(SHOP_AREA.href));
  if (!canOpenArea(actor.role, SHOP_AREA)) redirect(signInUrl(SHOP_AREA.href, { forbidden: true }));
  return (
    <>
      <AreaNav label="Shop" links={SHOP_LINKS} />
      {children}
    </>
  );
}
