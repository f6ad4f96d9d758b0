import { encode } from "next-auth/jwt";
import { authSecret } from "@/lib/env";
import { SESSION_COOKIE } from "@/lib/auth/resolve-actor";

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
  return { status: response.status, body: parsed as T, headers: response.headers };
}

/** An Auth.js session cookie for a signed-in user, as the browser would send it. */
export async function sessionCookie(claims: { uid: string; role: "seller" | "ops" | "shopper"; businessId?: string | null }) {
  const token = await encode({ token: { sub: claims.uid, ...claims }, secret: authSecret(), salt: SESSION_COOKIE });
  return `${SESSION_COOKIE}=${token}`;
}
