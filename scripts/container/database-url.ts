/**
 * The database a container connects to: DATABASE_URL, or one assembled from DATABASE_HOST,
 * DATABASE_PORT, DATABASE_NAME, DATABASE_USER, DATABASE_PASSWORD and DATABASE_SSL. The parts exist
 * because orchestrators (ECS, Kubernetes) inject a managed database's generated secret key by key and
 * cannot concatenate a URL; the password is URL-encoded here, where a hand-built URL usually breaks.
 */
type Source = Record<string, string | undefined>;

const PART_NAMES = ["DATABASE_HOST", "DATABASE_NAME", "DATABASE_USER", "DATABASE_PASSWORD"] as const;

export const MISSING_DATABASE_MESSAGE =
  "No database configured: set DATABASE_URL (postgres://user:password@host:5432/db), or DATABASE_HOST, " +
  "DATABASE_NAME, DATABASE_USER and DATABASE_PASSWORD (optional DATABASE_PORT, DATABASE_SSL=require or verify-full). " +
  "This image never starts a database of its own.";

export function containerDatabaseUrl(env: Source): { ok: true; url: string } | { ok: false; message: string } {
  if (env.DATABASE_URL) {
    return URL.canParse(env.DATABASE_URL) && /^postgres(ql)?:$/.test(new URL(env.DATABASE_URL).protocol)
      ? { ok: true, url: env.DATABASE_URL }
      : { ok: false, message: "DATABASE_URL must be a postgres:// URL." };
  }
  const given = PART_NAMES.filter((name) => env[name]);
  if (given.length === 0) return { ok: false, message: MISSING_DATABASE_MESSAGE };
  const missing = PART_NAMES.filter((name) => !env[name]);
  if (missing.length > 0) return { ok: false, message: `DATABASE_URL is unset and ${missing.join(", ")} ${missing.length === 1 ? "is" : "are"} missing. ${MISSING_DATABASE_MESSAGE}` };
  const port = env.DATABASE_PORT ?? "5432";
  if (!/^\d{1,5}$/.test(port)) return { ok: false, message: `DATABASE_PORT must be a port number, not "${port}".` };
  const ssl = env.DATABASE_SSL;
  // postgres.js reads sslmode; "require" encrypts without checking the certificate (RDS's CA is not
  // in Node's store), "verify-full" checks it (give the CA with NODE_EXTRA_CA_CERTS).
  if (ssl !== undefined && ssl !== "require" && ssl !== "verify-full") {
    return { ok: false, message: "DATABASE_SSL must be require or verify-full (leave it unset for no TLS)." };
  }
  const url = new URL(`postgres://${env.DATABASE_HOST}:${port}`);
  url.username = encodeURIComponent(env.DATABASE_USER!);
  url.password = encodeURIComponent(env.DATABASE_PASSWORD!);
  url.pathname = `/${encodeURIComponent(env.DATABASE_NAME!)}`;
  if (ssl) url.searchParams.set("sslmode", ssl);
  return { ok: true, url: url.toString() };
}
