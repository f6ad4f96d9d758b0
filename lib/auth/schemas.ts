import { z } from "zod";
import { text } from "@/lib/validation";

/**
 * Ten characters, not the 8 of NIST SP 800-63B's floor: length is what slows an offline guess if the
 * hashes ever leak, and it costs users far less than composition rules (which NIST advises against).
 * 200 is the sign-in form's own ceiling, and keeps a megabyte "password" away from scrypt.
 */
export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 200;

/** Messages the seller reads next to the field: the form (zodResolver) and the server action show the same one. */
export const SIGN_UP_MESSAGES = {
  emailInvalid: "Enter a valid email address",
  emailTooLong: "An email address has at most 254 characters",
  passwordTooShort: `Use at least ${PASSWORD_MIN} characters`,
  passwordTooLong: `Use at most ${PASSWORD_MAX} characters`,
  businessNameTooShort: "Enter your business name (at least 2 characters)",
  businessNameTooLong: "A business name has at most 100 characters",
  emailTaken: "An account with this email already exists",
  businessNameTaken: "This business name is already taken",
} as const;

/** The seller sign-up form and the server action that receives it: one schema, one set of messages. */
export const SellerSignUpInput = z.object({
  // 254: the longest address SMTP can deliver to (RFC 5321's path limit minus the angle brackets).
  email: text().trim().toLowerCase().max(254, SIGN_UP_MESSAGES.emailTooLong).pipe(z.email(SIGN_UP_MESSAGES.emailInvalid)),
  // Never trimmed: spaces are part of a password.
  password: text().min(PASSWORD_MIN, SIGN_UP_MESSAGES.passwordTooShort).max(PASSWORD_MAX, SIGN_UP_MESSAGES.passwordTooLong),
  businessName: text().trim().min(2, SIGN_UP_MESSAGES.businessNameTooShort).max(100, SIGN_UP_MESSAGES.businessNameTooLong),
});
export type SellerSignUpInput = z.infer<typeof SellerSignUpInput>;
export type SellerSignUpField = keyof SellerSignUpInput;

export type SellerSignUpFieldErrors = Partial<Record<SellerSignUpField, string>>;

/** What the sign-up action answers the form when it did not sign the seller in (success redirects). */
export type SellerSignUpResult = { ok: false; fieldErrors: SellerSignUpFieldErrors; formError?: string };

const FIELDS: readonly SellerSignUpField[] = ["email", "password", "businessName"];

/**
 * The server's validation: the first message of each field, which is the one react-hook-form's
 * zodResolver shows (it keeps the first issue per field unless criteriaMode is "all").
 */
export function parseSellerSignUp(raw: unknown): { success: true; data: SellerSignUpInput } | { success: false; fieldErrors: SellerSignUpFieldErrors; formError?: string } {
  const parsed = SellerSignUpInput.safeParse(raw);
  if (parsed.success) return { success: true, data: parsed.data };
  const fieldErrors: SellerSignUpFieldErrors = {};
  let formError: string | undefined;
  for (const issue of parsed.error.issues) {
    const field = issue.path[0];
    if (typeof field === "string" && (FIELDS as readonly string[]).includes(field)) fieldErrors[field as SellerSignUpField] ??= issue.message;
    else formError ??= "The form could not be read; reload the page and try again";
  }
  return { success: false, fieldErrors, ...(formError ? { formError } : {}) };
}

/** A seller's new API key: only its name is chosen; the secret is generated. */
export const CreateApiKeyInput = z.object({ name: text().trim().min(1, "Give the key a name").max(100) });
export type CreateApiKeyInput = z.infer<typeof CreateApiKeyInput>;

/** Which of the seller's keys to revoke; the business comes from the session, never from the client. */
export const RevokeApiKeyInput = z.object({ keyId: text().uuid("Not an API key id") });
export type RevokeApiKeyInput = z.infer<typeof RevokeApiKeyInput>;

/** An API key as the seller's console shows it: never its secret, timestamps as ISO strings. */
export type ApiKeySummary = {
  id: string;
  name: string;
  /** The public part of `cpk_<prefix>_<secret>`: how a seller tells keys apart. */
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
};

/** A key just created: the only answer that carries the full secret `key`. */
export type CreatedApiKey = { id: string; name: string; prefix: string; key: string; createdAt: string };
