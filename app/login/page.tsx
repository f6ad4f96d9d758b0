import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { signInWithPassword } from "@/app/auth-actions";
import { SignInForm } from "@/components/forms/sign-in-form";
import { Alert } from "@/components/ui/alert";
import { db } from "@/db/client";
import { areaOfPath, canOpenArea, homeOf } from "@/lib/auth/areas";
import { auth } from "@/lib/auth/next-auth";
import { actorFromSession } from "@/lib/auth/session-actor";

export const metadata: Metadata = { title: "Sign in" };

/** A same-site path, or null: the callbackUrl goes back into the form and then into a redirect. */
function samePath(value: string | undefined): string | null {
  return value && value.startsWith("/") && !value.startsWith("//") && !value.startsWith("/\\") ? value : null;
}

export default async function LoginPage({ searchParams }: { searchParams: Promise<{ callbackUrl?: string | string[]; reason?: string | string[] }> }) {
  const params = await searchParams;
  const callbackUrl = samePath(typeof params.callbackUrl === "string" ? params.callbackUrl : undefined);
  const forbidden = params.reason === "forbidden";
  const area = callbackUrl ? areaOfPath(new URL(callbackUrl, "http://x").pathname) : undefined;

  const actor = await actorFromSession(db, await auth());
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
        <SignInForm action={signInWithPassword} callbackUrl={callbackUrl} />
      </div>
      <p className="mt-4 text-sm text-muted">
        Demo accounts (after <code>npm run dev</code> or <code>npm run db:seed</code>): <code>seller@demo.test</code>, <code>shopper@demo.test</code>,{" "}
        <code>ops@demo.test</code>, password <code>demo1234</code>.
      </p>
    </div>
  );
}
