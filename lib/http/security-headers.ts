/**
 * Security headers. Pages get a per-request CSP nonce from proxy.ts (Next adds it to its own inline
 * scripts while rendering); API answers and everything else get fixed headers from next.config.ts,
 * so the proxy, which buffers request bodies, stays off /api (uploads stream past 10 MB).
 */

/** The page policy: scripts only with this request's nonce ('strict-dynamic' lets them load chunks). */
export function pageContentSecurityPolicy(nonce: string, options: { development: boolean }): string {
  return [
    "default-src 'self'",
    // React's development build evaluates code for its error overlay; production never does.
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${options.development ? " 'unsafe-eval'" : ""}`,
    // Styles may be inline: Radix dialogs (react-remove-scroll) and toasts (sonner) inject <style>
    // elements without a nonce. Scripts are what a CSP must hold tight; inline CSS cannot run code
    // (GitHub's own policy makes the same trade). With a nonce listed, browsers would ignore 'unsafe-inline'.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' blob: data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/** JSON and CSV answers render nothing: they may load nothing and be framed nowhere. */
export const API_CONTENT_SECURITY_POLICY = "default-src 'none'; frame-ancestors 'none'";

/** A random nonce, fresh per request (128 bits, base64). */
export function newNonce(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("base64");
}

/** Headers every answer carries (next.config.ts `headers()`); HSTS only from a production build. */
export function commonSecurityHeaders(options: { production: boolean }): { key: string; value: string }[] {
  const headers = [
    { key: "X-Content-Type-Options", value: "nosniff" },
    { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
    // For browsers without frame-ancestors; CSP's frame-ancestors 'none' is the rule.
    { key: "X-Frame-Options", value: "DENY" },
  ];
  // A browser ignores HSTS over plain HTTP, so sending it from a production server is harmless on a
  // trial over http://localhost; a development server must not pin localhost to HTTPS.
  if (options.production) headers.push({ key: "Strict-Transport-Security", value: "max-age=63072000; includeSubDomains" });
  return headers;
}
