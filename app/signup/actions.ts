"use server";

import { AuthError } from "next-auth";
import { headers } from "next/headers";
import { db } from "@/db/client";
import { auth, signIn } from "@/lib/auth/next-auth";
import type { SellerSignUpResult } from "@/lib/auth/schemas";
import { actorFromSession } from "@/lib/auth/session-actor";
import { signUpSellerRequest } from "@/lib/onboarding/sign-up-seller-request";
import { clientIp } from "@/lib/request-meta";

/**
 * The seller sign-up form's action: public by design (it creates the identity everything else
 * checks), refused to a signed-in caller. On success it signs the seller in and redirects to
 * /seller; otherwise it answers field errors for the form.
 */
export async function signUpSellerAction(input: unknown): Promise<SellerSignUpResult> {
  const requestHeaders = await headers();
  return signUpSellerRequest(
    db,
    {
      actor: await actorFromSession(db, await auth()),
      meta: { ip: clientIp(requestHeaders), userAgent: requestHeaders.get("user-agent")?.slice(0, 512) ?? null },
      async signIn({ email, password }) {
        try {
          await signIn("credentials", { email, password, redirectTo: "/seller" });
        } catch (error) {
          // Success throws Next's redirect, which must propagate; an Auth.js error leaves the account made but not signed in.
          if (!(error instanceof AuthError)) throw error;
        }
      },
    },
    input,
  );
}
