"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import Link from "next/link";
import { useForm } from "react-hook-form";
import type { z } from "zod";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { FieldMessage, Input, Label } from "@/components/ui/field";
import { SellerSignUpInput, type SellerSignUpField, type SellerSignUpResult } from "@/lib/auth/schemas";

type FormValues = z.input<typeof SellerSignUpInput>;

interface Props {
  /** The sign-up server action, passed down by the page (components never import app/). */
  action: (input: SellerSignUpInput) => Promise<SellerSignUpResult>;
}

const FIELDS: { name: SellerSignUpField; label: string; type: string; autoComplete: string }[] = [
  { name: "businessName", label: "Business name", type: "text", autoComplete: "organization" },
  { name: "email", label: "Email", type: "email", autoComplete: "email" },
  { name: "password", label: "Password (at least 10 characters)", type: "password", autoComplete: "new-password" },
];

/**
 * Seller sign-up: validated in the browser with the same schema object the server action parses
 * with, so both show the same message; the server's own refusals (a taken email, the rate limit)
 * come back as field or form errors. Success redirects (the action signs the seller in).
 */
export function SellerSignUpForm({ action }: Props) {
  const {
    register,
    handleSubmit,
    setError,
    formState: { errors, isSubmitting },
  } = useForm<FormValues, unknown, SellerSignUpInput>({
    resolver: zodResolver(SellerSignUpInput),
    defaultValues: { businessName: "", email: "", password: "" },
  });

  const onSubmit = handleSubmit(async (values) => {
    const result = await action(values);
    if (!result || result.ok) return;
    for (const [field, message] of Object.entries(result.fieldErrors) as [SellerSignUpField, string][]) {
      setError(field, { type: "server", message }, { shouldFocus: true });
    }
    if (result.formError) setError("root.server", { type: "server", message: result.formError });
  });

  const formError = errors.root?.server?.message;
  return (
    <form onSubmit={onSubmit} className="grid gap-4" noValidate>
      {formError ? <Alert>{formError}</Alert> : null}
      {FIELDS.map(({ name, label, type, autoComplete }) => {
        const message = errors[name]?.message;
        const inputId = `signup-${name}`;
        const errorId = `${inputId}-error`;
        return (
          <div key={name} className="grid gap-1">
            <Label htmlFor={inputId}>{label}</Label>
            <Input
              id={inputId}
              type={type}
              autoComplete={autoComplete}
              aria-invalid={message ? true : undefined}
              aria-describedby={message ? errorId : undefined}
              {...register(name)}
            />
            {message ? (
              <FieldMessage id={errorId} tone="error">
                {message}
              </FieldMessage>
            ) : null}
          </div>
        );
      })}
      <Button type="submit" pending={isSubmitting} className="w-full">
        {isSubmitting ? "Creating your account…" : "Create seller account"}
      </Button>
      <p className="text-sm text-muted">
        Already have an account? <Link href="/login">Sign in</Link>
      </p>
    </form>
  );
}
