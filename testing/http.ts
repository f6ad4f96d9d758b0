import { createHash } from "node:crypto";
import { sql } from "drizzle-orm";
import { encode } from "next-auth/jwt";
import { db } from "@/db/client";
import { users } from "@/db/schema";
import { authSecret } from "@/lib/env";
import { SESSION_COOKIE } from "@/lib/auth/resolve-actor";
import { assertContract } from "./contract";

type Handler = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;

export interface CallOptions {
  method?: string;
  path: string;
  params?: Record<string, string>;
  /** An object is sent as JSON; a string or FormData as is. */
  body?: unknown;
  token?: string;
  cookie?: string;
  headers?: Record<string, string>;
  /** Leave the answer unchecked against the published contract (testing/contract.ts): for tests of the checker itself. */
  unchecked?: boolean;
}

export interface CallResult<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

/** Calls a route handler the way Next does, with a plain Request: no server, no Next request scope. */
export async function call<T = any>(handler: Handler, options: CallOptions): Promise<CallResult<T>> {
  const headers = new Headers(options.headers);
  if (options.token) headers.set("authorization", `Bearer ${options.token}`);
  if (options.cookie) headers.set("cookie", options.cookie);
  let body: BodyInit | undefined;
  if (typeof options.body === "string" || options.body instanceof FormData) body = options.body;
  else if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers.set("content-type", "application/json");
  }
  const request = new Request(`http://localhost${options.path}`, { method: options.method ?? (body ? "POST" : "GET"), headers, body });
  const response = await handler(request, { params: Promise.resolve(options.params ?? {}) });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // CSV and other text bodies stay strings
  }
  const method = request.method;
  if (!options.unchecked) assertContract({ method, path: options.path, status: response.status, body: parsed, contentType: response.headers.get("content-type") });
  return { status: response.status, body: parsed as T, headers: response.headers };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The users.id a test label such as "seller-1" stands for (a uuid is its own id): stable within a run. */
export function testUserId(label: string): string {
  if (UUID.test(label)) return label.toLowerCase();
  const hex = createHash("sha256").update(label).digest("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export interface SessionClaims {
  /** A label ("seller-1") or a real users.id; the user row is created (or updated to this role and business) first. */
  uid: string;
  role: "seller" | "ops" | "shopper";
  businessId?: string | null;
  /** Sign a stale version instead of the user's current one. */
  sessionVersion?: number;
  /** Sign only: leave the users table alone (a cookie for a user that is not there). */
  skipUser?: boolean;
}

/**
 * An Auth.js session cookie for a signed-in user, as the browser would send it. Sessions are checked
 * against the users table on every request, so the user is written first, as a sign-in would find it.
 */
export async function sessionCookie(claims: SessionClaims) {
  const uid = testUserId(claims.uid);
  const businessId = claims.role === "seller" ? (claims.businessId ?? null) : null;
  let current = 0;
  if (!claims.skipUser) {
    const [row] = await db
      .insert(users)
      .values({ id: uid, email: `${uid}@session.test`, name: claims.uid, role: claims.role, businessId, passwordHash: "not-a-password" })
      .onConflictDoUpdate({ target: users.id, set: { role: claims.role, businessId, sessionVersion: sql`${users.sessionVersion}` } })
      .returning({ sessionVersion: users.sessionVersion });
    current = row!.sessionVersion;
  }
  const token = { sub: uid, uid, role: claims.role, businessId, sessionVersion: claims.sessionVersion ?? current };
  const encoded = await encode({ token, secret: authSecret(), salt: SESSION_COOKIE });
  return `${SESSION_COOKIE}=${encoded}`;
}
