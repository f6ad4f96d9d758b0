import type { Db } from "@/db/client";
import type { Actor } from "@/lib/auth/actor";
import { parseSellerSignUp, type SellerSignUpResult } from "@/lib/auth/schemas";
import { signUpSeller } from "@/lib/auth/sign-up";
import { sellerSignUpOpen } from "@/lib/env";
import { isAppError } from "@/lib/errors";
import { enforceRateLimit, signUpLimitKeys } from "@/lib/rate-limit/limits";
import type { RequestMeta } from "@/lib/request-meta";

export const SIGN_UP_CLOSED_MESSAGE = "Seller sign-up is closed on this platform. Ask the platform's operators for an account.";
export const SIGNED_IN_MESSAGE = "You are already signed in. Sign out first to create a seller account.";

export interface SignUpCaller {
  /** The verified session's actor, or null when signed out (a revoked cookie counts as signed out). */
  actor: Actor | null;
  meta: RequestMeta;
  /** Signs the new seller in; Auth.js answers with a redirect, which this lets through. */
  signIn: (credentials: { email: string; password: string }) => Promise<void>;
}

const failed = (formError: string): SellerSignUpResult => ({ ok: false, fieldErrors: {}, formError });

/**
 * The body of the sign-up server action, outside Next's request scope so that it can be tested:
 * it is a route like any other (DESIGN §2): actor check, zod input, rate limit, one service call.
 * The order matters: a signed-in caller and a closed platform are refused before anything is
 * counted or parsed; the limit is taken on the parsed (normalized) email, so " A@x.io" and "a@x.io"
 * count as one address.
 */
export async function signUpSellerRequest(db: Db, caller: SignUpCaller, raw: unknown): Promise<SellerSignUpResult> {
  if (caller.actor) return failed(SIGNED_IN_MESSAGE);
  if (!sellerSignUpOpen()) return failed(SIGN_UP_CLOSED_MESSAGE);
  const parsed = parseSellerSignUp(raw);
  if (!parsed.success) return { ok: false, fieldErrors: parsed.fieldErrors, ...(parsed.formError ? { formError: parsed.formError } : {}) };
  const input = parsed.data;
  try {
    await enforceRateLimit(signUpLimitKeys(caller.meta.ip, input.email));
    await signUpSeller(db, input, caller.meta);
  } catch (error) {
    if (isAppError(error) && error.code === "RATE_LIMITED") {
      const minutes = Math.max(1, Math.ceil(Number(error.context.retryAfter ?? 60) / 60));
      return failed(`Too many sign-up attempts. Try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`);
    }
    if (isAppError(error) && error.code === "CONFLICT" && error.context.fields) {
      return { ok: false, fieldErrors: error.context.fields as SellerSignUpResult["fieldErrors"] };
    }
    throw error;
  }
  await caller.signIn({ email: input.email, password: input.password });
  // signIn redirects on success; reaching this line means it returned without one.
  return failed("Your account was created. Sign in to continue.");
}
