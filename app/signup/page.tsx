import type { Metadata } from "next";
import Link from "next/link";
import { connection } from "next/server";
import { signUpSellerAction } from "@/app/signup/actions";
import { SellerSignUpForm } from "@/components/forms/seller-sign-up-form";
import { sellerSignUpOpen } from "@/lib/env";

export const metadata: Metadata = { title: "Create a seller account" };

export default async function SignUpPage() {
  // SELLER_SIGNUP is read per request: a build must not freeze the page open or closed.
  await connection();
  const open = sellerSignUpOpen();
  return (
    <div className="card narrow">
      <h1>Create a seller account</h1>
      {open ? (
        <SellerSignUpForm action={signUpSellerAction} />
      ) : (
        <>
          <p role="status">Seller sign-up is closed on this platform. Ask the platform&apos;s operators for an account.</p>
          <p className="muted">
            Already have an account? <Link href="/login">Sign in</Link>
          </p>
        </>
      )}
    </div>
  );
}
