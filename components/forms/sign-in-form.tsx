"use client";

import { useActionState, useEffect, useRef } from "react";
import { useFormStatus } from "react-dom";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Input, Label } from "@/components/ui/field";

/** What the sign-in action answers when it does not redirect: the message, and the email to keep. */
export type SignInState = { error: string | null; email: string };

function SubmitButton() {
  const { pending } = useFormStatus();
  return (
    <Button type="submit" pending={pending} className="w-full">
      {pending ? "Signing in…" : "Sign in"}
    </Button>
  );
}

/**
 * The credentials form. The action redirects on success; on failure it answers the message and the
 * email typed, so the field keeps it (the password never travels back, nor into a URL).
 */
export function SignInForm({
  action,
  callbackUrl,
}: {
  action: (state: SignInState, formData: FormData) => Promise<SignInState>;
  callbackUrl: string | null;
}) {
  const [state, formAction] = useActionState(action, { error: null, email: "" });
  const password = useRef<HTMLInputElement>(null);
  // After a refusal the password is what to type again; autoFocus would not do it (the field is not re-mounted).
  useEffect(() => {
    if (state.error) password.current?.focus();
  }, [state]);
  return (
    <form action={formAction} className="grid gap-4">
      {state.error ? <Alert>{state.error}</Alert> : null}
      {callbackUrl ? <input type="hidden" name="callbackUrl" value={callbackUrl} /> : null}
      <div className="grid gap-1">
        <Label htmlFor="sign-in-email">Email</Label>
        {/* key: React resets a form after its action; a new key re-mounts the field with the kept email. */}
        <Input key={state.email} id="sign-in-email" name="email" type="email" autoComplete="username" required defaultValue={state.email} />
      </div>
      <div className="grid gap-1">
        <Label htmlFor="sign-in-password">Password</Label>
        <Input ref={password} id="sign-in-password" name="password" type="password" autoComplete="current-password" required />
      </div>
      <SubmitButton />
    </form>
  );
}
