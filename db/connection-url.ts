/**
 * DATABASE_URL as the postgres.js driver should get it. postgres.js sends every query parameter it
 * does not know to the server as a setting, so libpq's `channel_binding` (in the connection strings
 * Neon hands out, and so in the DATABASE_URL its Vercel integration writes) makes the server refuse
 * the connection: `unrecognized configuration parameter "channel_binding"` from PostgreSQL,
 * `unsupported startup parameter` from a PgBouncer pooler. The driver cannot bind the channel, so
 * `channel_binding=require` becomes what it protects against without it, a verified certificate
 * (`sslmode=verify-full`: the host name and the CA chain, checked by Node's TLS); `prefer` and
 * `disable` are dropped. Any other URL comes back unchanged.
 */
export function postgresUrl(url: string): string {
  if (!URL.canParse(url)) return url;
  const parsed = new URL(url);
  const binding = parsed.searchParams.get("channel_binding");
  if (binding === null) return url;
  parsed.searchParams.delete("channel_binding");
  const sslmode = parsed.searchParams.get("sslmode");
  if (binding === "require" && sslmode !== "verify-full" && sslmode !== "verify-ca") parsed.searchParams.set("sslmode", "verify-full");
  return parsed.toString();
}
