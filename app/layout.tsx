import type { Metadata } from "next";
import Link from "next/link";
import type { ReactNode } from "react";
import { signOutAction } from "@/app/auth-actions";
import { db } from "@/db/client";
import { auth } from "@/lib/auth/next-auth";
import { actorFromSession } from "@/lib/auth/session-actor";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Coupon platform", template: "%s · Coupon platform" },
  description: "Coupon books for sellers, a wallet and checkout for shoppers, dashboards for ops.",
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  const session = await auth();
  // A revoked session (signed out elsewhere, demoted, deleted) must not look signed in.
  const user = (await actorFromSession(db, session)) ? session?.user : undefined;
  return (
    <html lang="en">
      <body>
        <header className="site-header">
          <Link href="/" className="brand">
            Coupon platform
          </Link>
          <nav aria-label="Main">
            <Link href="/seller">Seller</Link>
            <Link href="/shop">Shop</Link>
            <Link href="/ops">Ops</Link>
          </nav>
          <div className="session">
            {user?.email ? (
              <>
                <span>
                  {user.email} ({user.role})
                </span>
                <form action={signOutAction}>
                  <button type="submit" className="link">
                    Sign out
                  </button>
                </form>
              </>
            ) : (
              <Link href="/login">Sign in</Link>
            )}
          </div>
        </header>
        <main>{children}</main>
      </body>
    </html>
  );
}
