import { NextResponse, type NextRequest } from "next/server";
import { areaOfPath, signInUrl } from "@/lib/auth/areas";
import { isCrossSiteWrite } from "@/lib/auth/origin";
import { settings } from "@/lib/env";
import { newNonce, pageContentSecurityPolicy } from "@/lib/http/security-headers";

/** Whether a path holds a `%` that does not start a valid UTF-8 escape (`%ZZ`, a lone `%`, `%C0%AF`, `%FF%FE`). */
function hasMalformedEscape(pathname: string): boolean {
  try {
    decodeURIComponent(pathname);
    return false;
  } catch {
    return true;
  }
}

/** Auth.js's session cookie (`__Secure-` over HTTPS; `.0`, `.1`… when chunked). */
const SESSION_COOKIE = /^(__Secure-)?authjs\.session-token(\.\d+)?$/;

/**
 * API paths: only a malformed escape is answered here. Pages: a foreign-Origin server action is a
 * 403, and every page gets a fresh CSP nonce; Next reads the policy from the request headers while
 * rendering and puts the nonce on its scripts, and the browser gets the same policy on the response.
 */
export function proxy(request: NextRequest) {
  if (request.nextUrl.pathname.startsWith("/api/")) {
    // Next decodes dynamic segments before the route handler runs and answers a malformed escape
    // with a plain-text 500 and no log line; a client's bad URL is a 400 like any bad input.
    if (hasMalformedEscape(request.nextUrl.pathname)) {
      return NextResponse.json({ error: "Invalid path: malformed percent-encoding", code: "VALIDATION_ERROR" }, { status: 400 });
    }
    return NextResponse.next();
  }
  // Every non-GET request to a page is a server action (sign-in, sign-out). Next refuses one from a
  // foreign Origin itself, but answers 500 (it logs a CSRF error and fails the render): answer the
  // 403 it is before Next gets there.
  if (isCrossSiteWrite(request)) {
    return NextResponse.json({ error: "Cross-site requests may not change anything", code: "FORBIDDEN" }, { status: 403 });
  }
  // A first filter only, with no database call: a visitor with no session cookie at all is sent to
  // sign in before any area renders. Whether a session is live and its role may open the area is
  // the area layout's check (lib/auth/areas.ts), which also turns away revoked sessions.
  const area = areaOfPath(request.nextUrl.pathname);
  if (area && !request.cookies.getAll().some((cookie) => SESSION_COOKIE.test(cookie.name))) {
    return NextResponse.redirect(new URL(signInUrl(request.nextUrl.pathname), request.url));
  }
  const nonce = newNonce();
  const policy = pageContentSecurityPolicy(nonce, { development: settings("NODE_ENV").NODE_ENV === "development" });
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("x-nonce", nonce);
  requestHeaders.set("Content-Security-Policy", policy);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set("Content-Security-Policy", policy);
  return response;
}

export const config = {
  matcher: [
    // API paths only when they hold a `%` at all: everything else under /api never meets the proxy,
    // so its body is never buffered (CSV uploads stream past the proxy's 10 MB limit).
    "/api/:path((?:.*)%(?:.*))",
    {
      // Never /api: the proxy buffers request bodies (10 MB, then truncates) and CSV uploads stream.
      // /health is rewritten to /api/health. Static files (the icon too) carry no scripts to nonce.
      source: "/((?!api/|api$|health$|_next/static|_next/image|favicon.ico|icon.svg).*)",
      // Router prefetches fetch RSC payloads, not documents: no policy to set.
      missing: [
        { type: "header", key: "next-router-prefetch" },
        { type: "header", key: "purpose", value: "prefetch" },
      ],
    },
  ],
};
