import { timingSafeEqual } from "node:crypto";
import { getToken } from "next-auth/jwt";
import type { DbOrTx } from "@/db/client";
import { authSecret, settings } from "@/lib/env";
import type { Actor } from "./actor";
import { looksLikeApiKey, verifyApiKey } from "./api-keys";
import { actorFromToken } from "./session-actor";

export const SESSION_COOKIE = "authjs.session-token";
const SECURE_SESSION_COOKIE = "__Secure-authjs.session-token";

function safeEqual(a: string, b: string) {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

async function sessionActor(db: DbOrTx, request: Request): Promise<Actor | null> {
  const cookie = request.headers.get("cookie");
  if (!cookie) return null;
  const secureCookie = cookie.includes(SECURE_SESSION_COOKIE);
  // Only the cookie is handed over: getToken would otherwise read our Bearer API keys as JWTs.
  const token = await getToken({ req: { headers: { cookie } }, secret: authSecret(), secureCookie, logger: undefined });
  return actorFromToken(db, token);
}

/**
 * Who is calling: a Bearer API key (business-scoped), the Bearer INTERNAL_API_TOKEN, or an
 * Auth.js session cookie. Null means unauthenticated (401); a Bearer that matches nothing is
 * never downgraded to the cookie.
 */
export async function resolveActor(db: DbOrTx, request: Request): Promise<Actor | null> {
  const authorization = request.headers.get("authorization");
  if (authorization) {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization.trim());
    if (!match) return null;
    const token = match[1]!;
    if (looksLikeApiKey(token)) {
      const key = await verifyApiKey(db, token);
      return key ? { kind: "apiKey", keyId: key.keyId, businessId: key.businessId } : null;
    }
    const internal = settings("INTERNAL_API_TOKEN").INTERNAL_API_TOKEN;
    return internal && safeEqual(token, internal) ? { kind: "internal" } : null;
  }
  return sessionActor(db, request);
}
