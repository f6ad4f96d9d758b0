import { isShopper, type Actor } from "@/lib/auth/actor";
import { AppError } from "@/lib/errors";
import type { RequestMeta } from "@/lib/request-meta";
import { hashEmail } from "@/lib/auth/sign-up";
import { hashIp } from "@/lib/promo/hashing";
import { rateLimiter, type LimitKey, type RateLimitVerdict } from "./rate-limiter";

/** A shopper's code attempts count per user and per client ip (DESIGN §6). */
export function shopperLimitKeys(userId: string, ip: string | null | undefined): LimitKey[] {
  return [{ kind: "user", id: userId }, ...(ip ? [{ kind: "ip" as const, id: hashIp(ip) }] : [])];
}

/**
 * Seller sign-up attempts count per client ip (a script creating accounts) and per email (someone
 * probing whether an address is registered, which the form's field error tells), over 10 minutes.
 */
export function signUpLimitKeys(ip: string | null | undefined, email: string): LimitKey[] {
  return [...(ip ? [{ kind: "signUpIp" as const, id: hashIp(ip) }] : []), { kind: "signUpEmail", id: hashEmail(email) }];
}

/**
 * What a request counts against: every API-key call per key; a shopper session's calls that take
 * a coupon code per user and ip. Internal callers are limited per shopper inside the promo redeem,
 * where the body names the shopper.
 */
export function callerLimitKeys(actor: Actor, meta: RequestMeta, takesCode: boolean): LimitKey[] {
  if (actor.kind === "apiKey") return [{ kind: "apiKey", id: actor.keyId }];
  if (isShopper(actor) && takesCode) return shopperLimitKeys(actor.userId, meta.ip);
  return [];
}

function rateLimitedError(verdict: Extract<RateLimitVerdict, { limited: true }>) {
  return new AppError("RATE_LIMITED", "Too many requests; retry later", { limit: verdict.kind, retryAfter: verdict.retryAfterSeconds });
}

/** Throws 429 RATE_LIMITED (with retryAfter seconds) when any of the keys is over its limit. */
export async function enforceRateLimit(keys: LimitKey[]) {
  if (keys.length === 0) return;
  const verdict = await rateLimiter().check(keys);
  if (verdict.limited) throw rateLimitedError(verdict);
}
