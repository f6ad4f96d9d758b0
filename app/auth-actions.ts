"use server";

import { AuthError } from "next-auth";
import { redirect } from "next/navigation";
import { db } from "@/db/client";
import { auth, signIn, signOut } from "@/lib/auth/next-auth";
import { actorFromSession } from "@/lib/auth/session-actor";
import { revokeSessions } from "@/lib/auth/users";

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

/** The GitHub button (shown only when AUTH_GITHUB_ID/SECRET are set): Auth.js redirects to GitHub and back. */
export async function signInWithGitHub(formData: FormData) {
  await signIn("github", { redirectTo: safeCallback(formData.get("callbackUrl")) });
}

/**
 * Signing out bumps the user's session version: a JWT cookie cannot be recalled, so a copy of it
 * (another tab, a stolen cookie) would otherwise keep working until it expires. Only a live session
 * may do it, so a stale cookie cannot sign its user out everywhere.
 */
export async function signOutAction() {
  const actor = await actorFromSession(db, await auth());
  if (actor?.kind === "user") await revokeSessions(db, actor.userId);
  await signOut({ redirectTo: "/login" });
}
