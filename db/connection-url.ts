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

/** How postgres.js should reach the server: DATABASE_URL (through postgresUrl) and the options its URL cannot carry. */
export interface PostgresConnection {
  url: string;
  options: { host?: string; port?: number; path?: string };
}

/**
 * DATABASE_URL for postgres.js, with libpq's `host` (and `port`) query parameters understood:
 * `postgresql://app:secret@localhost/app?host=/var/run/postgresql` (or `/cloudsql/<instance>` on
 * Cloud Run) reaches the server through the Unix socket in that directory, as psql and pgbench do
 * with the same URL. postgres.js itself reads a socket only from its `host` option and would send
 * `host` to the server as a setting, which refuses the connection (`unrecognized configuration
 * parameter "host"`).
 */
export function postgresConnection(url: string): PostgresConnection {
  const adjusted = postgresUrl(url);
  if (!URL.canParse(adjusted)) return { url: adjusted, options: {} };
  const parsed = new URL(adjusted);
  const host = parsed.searchParams.get("host");
  const port = parsed.searchParams.get("port");
  if (host === null && port === null) return { url: adjusted, options: {} };
  parsed.searchParams.delete("host");
  parsed.searchParams.delete("port");
  const portNumber = Number(port || parsed.port || 5432);
  // The socket's file named here: postgres.js would split a directory such as Cloud SQL's
  // `/cloudsql/project:region:instance` at its colons, as if they introduced ports.
  if (host?.startsWith("/")) return { url: parsed.toString(), options: { path: `${host}/.s.PGSQL.${portNumber}` } };
  return { url: parsed.toString(), options: { ...(host ? { host } : {}), ...(port ? { port: portNumber } : {}) } };
}
