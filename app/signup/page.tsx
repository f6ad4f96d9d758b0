import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { connection } from "next/server";
import { signUpSellerAction } from "@/app/signup/actions";
import { SellerSignUpForm } from "@/components/forms/seller-sign-up-form";
import { Alert } from "@/components/ui/alert";
import { pageSession } from "@/app/page-session";
import { homeOf } from "@/lib/auth/areas";
import { sellerSignUpOpen } from "@/lib/env";

export const metadata: Metadata = { title: "Create a seller account" };

export default async function SignUpPage() {
  // SELLER_SIGNUP is read per request: a build must not freeze the page open or closed.
  await connection();
  // Signed in already: sign-up is for newcomers, so go on to this account's own area.
  const { actor } = await pageSession();
  if (actor?.kind === "user") redirect(homeOf(actor.role));
  const open = sellerSignUpOpen();
  return (
    <div className="mx-auto max-w-md">
      <div className="rounded-lg border border-line bg-white p-6 shadow-sm">
        <h1 className="mb-4 text-2xl font-semibold tracking-tight">Create a seller account</h1>
        {open ? (
          <SellerSignUpForm action={signUpSellerAction} />
        ) : (
          <div className="grid gap-4">
            <Alert tone="info">Seller sign-up is closed on this platform. Ask the platform&apos;s operators for an account.</Alert>
            <p className="text-sm text-muted">
              Already have an account? <Link href="/login">Sign in</Link>
            </p>
          </div>
        )}
      </div>
    </div>
  );
}
