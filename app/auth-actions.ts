"use server";

import { AuthError } from "next-auth";
import type { SignInState } from "@/components/forms/sign-in-form";
import { db } from "@/db/client";
import { auth, signIn, signOut } from "@/lib/auth/next-auth";
import { actorFromSession } from "@/lib/auth/session-actor";
import { revokeSessions } from "@/lib/auth/users";

/** Only same-site paths: an open redirect after sign-in would hand the session page to a phisher. */
function safeCallback(value: FormDataEntryValue | null): string | null {
  return typeof value === "string" && value.startsWith("/") && !value.startsWith("//") && !value.startsWith("/\\") ? value : null;
}

const MESSAGES: Record<string, string> = {
  CredentialsSignin: "Wrong email or password.",
};

/**
 * The login form (useActionState): Auth.js credentials sign-in. Success redirects to the callbackUrl,
 * or without one to /login, which sends a signed-in user on to their role's area (the role is only
 * known once the credentials are checked). A failure answers the message and the email typed.
 */
export async function signInWithPassword(_state: SignInState, formData: FormData): Promise<SignInState> {
  const redirectTo = safeCallback(formData.get("callbackUrl")) ?? "/login";
  const email = formData.get("email");
  try {
    await signIn("credentials", { email, password: formData.get("password"), redirectTo });
  } catch (error) {
    // Success throws Next's redirect, which must propagate; only Auth.js's own errors are a failed sign-in.
    if (!(error instanceof AuthError)) throw error;
    return { error: MESSAGES[error.type] ?? "Sign-in failed. Try again.", email: typeof email === "string" ? email.slice(0, 320) : "" };
  }
  return { error: null, email: "" };
}

/** The GitHub button (shown only when AUTH_GITHUB_ID/SECRET are set): Auth.js redirects to GitHub and back. */
export async function signInWithGitHub(formData: FormData) {
  await signIn("github", { redirectTo: safeCallback(formData.get("callbackUrl")) ?? "/login" });
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
