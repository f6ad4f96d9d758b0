import type { Metadata } from "next";
import Link from "next/link";
import { signInWithGitHub, signInWithPassword } from "@/app/auth-actions";
import { githubOAuth, sellerSignUpOpen } from "@/lib/env";

export const metadata: Metadata = { title: "Sign in" };

const MESSAGES: Record<string, string> = {
  CredentialsSignin: "Wrong email or password.",
  // Set by the GitHub sign-in callback (lib/auth/next-auth.ts): GitHub never creates an account here.
  GitHubAccountNotFound: "No account uses your GitHub email. Sellers: create an account with the sign-up form first.",
  AccessDenied: "Sign-in was refused.",
};

export default async function LoginPage({ searchParams }: { searchParams: Promise<{ error?: string; callbackUrl?: string }> }) {
  const { error, callbackUrl } = await searchParams;
  const signUpOpen = sellerSignUpOpen();
  return (
    <div className="card narrow">
      <h1>Sign in</h1>
      <form action={signInWithPassword} className="form">
        {error ? (
          <p role="alert" className="error">
            {MESSAGES[error] ?? "Sign-in failed. Try again."}
          </p>
        ) : null}
        <input type="hidden" name="callbackUrl" value={callbackUrl ?? "/"} />
        <label>
          Email
          <input name="email" type="email" autoComplete="username" required />
        </label>
        <label>
          Password
          <input name="password" type="password" autoComplete="current-password" required />
        </label>
        <button type="submit">Sign in</button>
      </form>
      {githubOAuth() ? (
        <form action={signInWithGitHub} className="form">
          <input type="hidden" name="callbackUrl" value={callbackUrl ?? "/"} />
          <button type="submit">Sign in with GitHub</button>
        </form>
      ) : null}
      {signUpOpen ? (
        <p>
          <Link href="/signup">Create a seller account</Link>
        </p>
      ) : null}
      <p className="muted">
        Demo accounts (after <code>npm run dev</code> or <code>npm run db:seed</code>): <code>seller@demo.test</code>,{" "}
        <code>shopper@demo.test</code>, <code>ops@demo.test</code>, password <code>demo1234</code>.
      </p>
    </div>
  );
}
