import { isIP } from "node:net";
import { settings } from "@/lib/env";

/** Who sent a request, as far as the audit trail and the per-ip rate limit are concerned. */
export interface RequestMeta {
  ip: string | null;
  userAgent: string | null;
}

/** An address as proxies write it (`203.0.113.7`, `203.0.113.7:51234`, `[2001:db8::1]:443`), or null if it is not one. */
function address(entry: string | undefined): string | null {
  let value = entry?.trim() ?? "";
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(value);
  if (bracketed) value = bracketed[1]!;
  else if (/^[\d.]+:\d+$/.test(value)) value = value.slice(0, value.lastIndexOf(":"));
  return isIP(value) ? value : null;
}

/**
 * The client's address, trusting only what our own proxies wrote. Every proxy appends the address
 * it saw to X-Forwarded-For, so the right-most `hops` entries come from proxies we run and anything
 * left of them is whatever the client sent (rotating the left-most entry used to dodge the per-ip
 * limit). With N hops the client is the N-th entry from the right; with fewer entries the request
 * skipped an outer proxy and the left-most one, written by a proxy we trust, is its peer. With 0
 * hops nothing is trusted: a route handler cannot see the socket's address, so the ip is unknown
 * (null: no per-ip limit, no ip in the audit) rather than chosen by the caller. On Vercel the
 * platform sets x-vercel-forwarded-for and x-real-ip itself and drops what the client sent.
 */
/**
 * Whether a proxy we trust stands in front and overwrites the X-Forwarded-* headers: Vercel, or the
 * TRUSTED_PROXY_HOPS a deployment declared. Only then may X-Forwarded-Proto (the cookie's `Secure`)
 * and X-Forwarded-Host (the Origin check) be believed; without one, any client could send them.
 */
export function isBehindTrustedProxy(): boolean {
  const { TRUSTED_PROXY_HOPS, VERCEL } = settings("TRUSTED_PROXY_HOPS", "VERCEL");
  return TRUSTED_PROXY_HOPS > 0 || Boolean(VERCEL);
}

export function clientIp(headers: Headers): string | null {
  const { TRUSTED_PROXY_HOPS: hops, VERCEL } = settings("TRUSTED_PROXY_HOPS", "VERCEL");
  if (VERCEL === "1") return address(headers.get("x-vercel-forwarded-for")?.split(",")[0]) ?? address(headers.get("x-real-ip") ?? undefined);
  if (hops === 0) return null;
  const entries = (headers.get("x-forwarded-for") ?? "").split(",").filter((entry) => entry.trim() !== "");
  if (entries.length === 0) return null;
  return address(entries[Math.max(0, entries.length - hops)]);
}

export function requestMeta(request: Request): RequestMeta {
  return {
    ip: clientIp(request.headers),
    userAgent: request.headers.get("user-agent")?.slice(0, 512) ?? null,
  };
}
