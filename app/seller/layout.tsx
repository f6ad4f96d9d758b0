import { redirect } from "next/navigation";
import type { ReactNode } from "react";
import { AreaNav } from "@/components/area-nav";
import { AREAS, canOpenArea, signInUrl } from "@/lib/auth/areas";
import { pageSession } from "@/app/page-session";

const SELLER_AREA = AREAS.find((area) => area.href === "/seller")!;

/** The area's own pages, in the sub-navigation's order. */
const SELLER_LINKS = [
  { href: "/seller", label: "Books" },
  { href: "/seller/api-keys", label: "API keys" },
];

/**
 * The seller area's guard (proxy.ts only turns away requests without a session cookie): a revoked
 * or missing session signs in again; a signed-in user whose role may not open the area is sent to
 * sign in with another account, and never sees the page.
 */
export default async function SellerLayout({ children }: { children: ReactNode }) {
  const { actor } = await pageSession();
  if (actor?.kind !== "user") redirect(signInUrl(SELLER_AREA.href));
  if (!canOpenArea(actor.role, SELLER_AREA)) redirect(signInUrl(SELLER_AREA.href, { forbidden: true }));
  // API keys belong to one business: ops have none, so their sub-navigation leaves the keys page out.
  const links = actor.role === "seller" ? SELLER_LINKS : SELLER_LINKS.filter((link) => link.href !== "/seller/api-keys");
  return (
    <>
      <AreaNav label="Seller" links={links} />
      {children}
    </>
  );
}
