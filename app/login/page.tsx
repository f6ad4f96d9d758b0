import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { signInWithGitHub, signInWithPassword } from "@/app/auth-actions";
import { SignInForm } from "@/components/forms/sign-in-form";
import { Alert } from "@/components/ui/alert";
import { pageSession } from "@/app/page-session";
import { Button } from "@/components/ui/button";
import { areaOfPath, canOpenArea, homeOf } from "@/lib/auth/areas";
import { githubOAuth, sellerSignUpOpen } from "@/lib/env";

export const metadata: Metadata = { title: "Sign in" };

/** Errors an OAuth sign-in comes back with (`?error=`); a wrong password is answered by the form itself. */
const OAUTH_ERRORS: Record<string, string> = {
  // Set by the GitHub sign-in callback (lib/auth/next-auth.ts): GitHub never creates an account here.
  GitHubAccountNotFound: "No account uses your GitHub email. Sellers: create an account with the sign-up form first.",
  AccessDenied: "Sign-in was refused.",
};

/** A same-site path, or null: the callbackUrl goes back into the form and then into a redirect. */
function samePath(value: string | undefined): string | null {
  return value && value.startsWith("/") && !value.startsWith("//") && !value.startsWith("/\\") ? value : null;
}

export default async function LoginPage({
  searchParams,
}: {
  searchParams: Promise<{ callbackUrl?: string | string[]; reason?: string | string[]; error?: string | string[] }>;
}) {
  const params = await searchParams;
  const callbackUrl = samePath(typeof params.callbackUrl === "string" ? params.callbackUrl : undefined);
  const forbidden = params.reason === "forbidden";
  const area = callbackUrl ? areaOfPath(new URL(callbackUrl, "http://x").pathname) : undefined;
  const oauthError = typeof params.error === "string" ? (OAUTH_ERRORS[params.error] ?? "Sign-in failed. Try again.") : null;

  const { actor } = await pageSession();
  if (actor?.kind === "user") {
    // Signed in already: go on to the page asked for when the role may open it, else to the role's own
    // area. Only a user sent here because their account may not open a page stays, to switch accounts.
    const allowed = !area || canOpenArea(actor.role, area);
    if (!forbidden || allowed) redirect(callbackUrl && allowed && !callbackUrl.startsWith("/login") ? callbackUrl : homeOf(actor.role));
  }

  return (
    <div className="mx-auto max-w-md">
      <div className="rounded-lg border border-line bg-white p-6 shadow-sm">
        <h1 className="mb-4 text-2xl font-semibold tracking-tight">Sign in</h1>
        {forbidden && area ? (
          <Alert tone="info" className="mb-4">
            {area.forbiddenMessage}
          </Alert>
        ) : null}
        {oauthError ? (
          <Alert tone="error" className="mb-4">
            {oauthError}
          </Alert>
        ) : null}
        <SignInForm action={signInWithPassword} callbackUrl={callbackUrl} />
        {githubOAuth() ? (
          <form action={signInWithGitHub} className="mt-3">
            {/* Without one, the action goes back to /login, which sends the user on to their role's area (as the form does). */}
            {callbackUrl ? <input type="hidden" name="callbackUrl" value={callbackUrl} /> : null}
            <Button type="submit" variant="secondary" className="w-full">
              Sign in with GitHub
            </Button>
          </form>
        ) : null}
        {sellerSignUpOpen() ? (
          <p className="mt-4 text-sm">
            New seller? <Link href="/signup">Create a seller account</Link>
          </p>
        ) : null}
      </div>
      <p className="mt-4 text-sm text-muted">
        Demo accounts (after <code>npm run dev</code> or <code>npm run db:seed</code>): <code>seller@demo.test</code>, <code>shopper@demo.test</code>,{" "}
        <code>ops@demo.test</code>, password <code>demo1234</code>.
      </p>
    </div>
  );
}
