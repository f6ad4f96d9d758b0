import type { Metadata } from "next";
import type { ReactNode } from "react";
import { signOutAction } from "@/app/auth-actions";
import { AppHeader, type HeaderUser } from "@/components/app-header";
import { Providers } from "@/components/providers";
import { Toaster } from "@/components/ui/toaster";
import { areaLinksFor, signedOutLinks } from "@/lib/auth/areas";
import { sellerSignUpOpen } from "@/lib/env";
import { pageSession } from "@/app/page-session";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Coupon platform", template: "%s · Coupon platform" },
  description: "Coupon books for sellers, a wallet and checkout for shoppers, dashboards for ops.",
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  // A revoked session (signed out elsewhere, demoted, deleted) must not look signed in.
  const { session, actor } = await pageSession();
  const user: HeaderUser | null = actor?.kind === "user" && session?.user?.email ? { email: session.user.email, role: actor.role } : null;
  return (
    <html lang="en">
      <body className="min-h-screen">
        <Providers>
          <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:top-2 focus:left-2 focus:z-50 focus:rounded-md focus:bg-white focus:px-3 focus:py-2">
            Skip to content
          </a>
          <AppHeader user={user} links={user ? areaLinksFor(user.role) : signedOutLinks(sellerSignUpOpen())} signOutAction={signOutAction} />
          <main id="main" className="mx-auto max-w-6xl px-4 py-6 sm:px-6">
            {children}
          </main>
          <Toaster />
        </Providers>
      </body>
    </html>
  );
}
