import { redirect } from "next/navigation";
import type { ReactNode } from "react";
import { db } from "@/db/client";
import { AREAS, canOpenArea, signInUrl } from "@/lib/auth/areas";
import { auth } from "@/lib/auth/next-auth";
import { actorFromSession } from "@/lib/auth/session-actor";

const SELLER_AREA = AREAS[0];

/**
 * The seller area's guard (proxy.ts only turns away requests without a session cookie): a revoked
 * or missing session signs in again; a signed-in user whose role may not open the area is sent to
 * sign in with another account, and never sees the page.
 */
export default async function SellerLayout({ children }: { children: ReactNode }) {
  const actor = await actorFromSession(db, await auth());
  if (actor?.kind !== "user") redirect(signInUrl(SELLER_AREA.href));
  if (!canOpenArea(actor.role, SELLER_AREA)) redirect(signInUrl(SELLER_AREA.href, { forbidden: true }));
  return children;
}
