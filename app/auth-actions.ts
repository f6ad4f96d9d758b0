"use server";

import { AuthError } from "next-auth";
import { redirect } from "next/navigation";
import { signIn, signOut } from "@/lib/auth/next-auth";

/** Only same-site paths: an open redirect after sign-in would hand the session page to a phisher. */
function safeCallback(value: FormDataEntryValue | null): string {
  return typeof value === "string" && value.startsWith("/") && !value.startsWith("//") && !value.startsWith("/\\") ? value : "/";
}

/** The login form: Auth.js credentials sign-in; a wrong email or password comes back as ?error. */
export async function signInWithPassword(formData: FormData) {
  const redirectTo = safeCallback(formData.get("callbackUrl"));
  try {
    await signIn("credentials", { email: formData.get("email"), password: formData.get("password"), redirectTo });
  } catch (error) {
    // Success throws Next's redirect, which must propagate; only Auth.js's own errors are a failed sign-in.
    if (!(error instanceof AuthError)) throw error;
    const params = new URLSearchParams({ error: error.type, callbackUrl: redirectTo });
    redirect(`/login?${params}`);
  }
}

export async function signOutAction() {
  await signOut({ redirectTo: "/login" });
}
