import { redirect } from "next/navigation";
import type { ReactNode } from "react";
import { AreaNav } from "@/components/area-nav";
import { areaOfPath, canOpenArea, signInUrl } from "@/lib/auth/areas";
import { pageSession } from "@/app/page-session";

const OPS_AREA = areaOfPath("/ops")!;

/** The console's pages, in the sub-navigation's order. */
const OPS_LINKS = [
  { href: "/ops", label: "Dashboard" },
  { href: "/ops/campaigns", label: "Campaigns" },
  { href: "/ops/alerts", label: "Alerts" },
  { href: "/ops/refunds", label: "Refunds" },
  { href: "/ops/jobs", label: "Jobs" },
  { href: "/ops/audit", label: "Audit" },
];

/**
 * The ops console's guard, like the other areas': a revoked or missing session signs in again; a
 * seller or shopper account is sent to sign in as ops and never sees a page (their server actions
 * are refused the same way, lib/ops/*-actions.ts).
 */
export default async function OpsLayout({ children }: { children: ReactNode }) {
  const { actor } = await pageSession();
  if (actor?.kind !== "user") redirect(signInUrl(OPS_AREA.href));
  if (!canOpenArea(actor.role, OPS_AREA)) redirect(signInUrl(OPS_AREA.href, { forbidden: true }));
  return (
    <>
      <AreaNav label="Ops" links={OPS_LINKS} />
      {children}
    </>
  );
}
