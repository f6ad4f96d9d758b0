import { isBehindTrustedProxy } from "@/lib/request-meta";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

function hostOf(url: string): string | null {
  try {
    return new URL(url).host.toLowerCase();
  } catch {
    return null;
  }
}

/**
 * The hosts this request may come from: the Host it was sent to (request.url is built from it) and,
 * behind a trusted proxy (TRUSTED_PROXY_HOPS, Vercel), the X-Forwarded-Host the proxy sets. That is the same rule
 * Next applies to server actions; no APP_URL setting to keep in step with each deployment's domains.
 */
function ownHosts(request: Request): Set<string> {
  const hosts = new Set<string>();
  const fromUrl = hostOf(request.url);
  if (fromUrl) hosts.add(fromUrl);
  const host = request.headers.get("host");
  if (host) hosts.add(host.trim().toLowerCase());
  if (isBehindTrustedProxy()) {
    const forwarded = request.headers.get("x-forwarded-host")?.split(",")[0]?.trim();
    if (forwarded) hosts.add(forwarded.toLowerCase());
  }
  return hosts;
}

/**
 * Whether a state-changing request was sent by another site (CSRF): a browser attaches the session
 * cookie to a cross-site form post or `fetch(..., { mode: "no-cors" })` with `text/plain`, which no
 * CORS preflight stops. Origin decides when present (`null` included: sandboxed and opaque origins);
 * without it, Sec-Fetch-Site, then Referer. A request with none of them is not a browser's (curl
 * with a copied cookie) and passes: that caller holds the cookie anyway.
 */
export function isCrossSiteWrite(request: Request): boolean {
  if (SAFE_METHODS.has(request.method.toUpperCase())) return false;
  const own = ownHosts(request);
  const origin = request.headers.get("origin");
  if (origin !== null) {
    const host = hostOf(origin);
    return host === null || !own.has(host);
  }
  const site = request.headers.get("sec-fetch-site");
  if (site === "cross-site" || site === "same-site") return true;
  if (site === "same-origin" || site === "none") return false;
  const referer = request.headers.get("referer");
  if (referer) {
    const host = hostOf(referer);
    return host === null || !own.has(host);
  }
  return false;
}
