import type { Metadata } from "next";
import { signInWithPassword } from "@/app/auth-actions";

export const metadata: Metadata = { title: "Sign in" };

const MESSAGES: Record<string, string> = {
  CredentialsSignin: "Wrong email or password.",
};

export default async function LoginPage({ searchParams }: { searchParams: Promise<{ error?: string; callbackUrl?: string }> }) {
  const { error, callbackUrl } = await searchParams;
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
      <p className="muted">
        Demo accounts (after <code>npm run dev</code> or <code>npm run db:seed</code>): <code>seller@demo.test</code>,{" "}
        <code>shopper@demo.test</code>, <code>ops@demo.test</code>, password <code>demo1234</code>.
      </p>
    </div>
  );
}
