import { z } from "zod";

/** Where the embedded PostgreSQL listens when DATABASE_URL is unset (scripts/embedded-postgres.ts). */
export const EMBEDDED_PG_PORT = Number(process.env.EMBEDDED_PG_PORT ?? 54329);
export const embeddedDatabaseUrl = (database: string) =>
  `postgres://postgres:postgres@127.0.0.1:${EMBEDDED_PG_PORT}/${database}`;

const DEV_AUTH_SECRET = "dev-only-auth-secret-change-me-in-production-0123456789";
const DEV_CODE_HASH_SECRET = "dev-only-code-hash-secret";

const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);

/** Every setting, each validated on its own so that a job can check only the ones it reads (`settings`). */
const fields = {
    NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
    DATABASE_URL: z.string().url().default(embeddedDatabaseUrl("coupons_dev")),
    DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(200).default(20),
    /**
     * 1: request-sized statements are prepared once per connection (db/prepared.ts). 0 for a
     * transaction-mode pooler without prepared-statement support (PgBouncer before 1.21, or
     * max_prepared_statements = 0): every statement then costs a second round trip.
     */
    DATABASE_PREPARE: z.enum(["0", "1"]).default("1"),
    REDIS_URL: z.string().url().optional(),
    AUTH_SECRET: z.string().min(32).optional(),
    INTERNAL_API_TOKEN: z.string().min(16).optional(),
    CODE_HASH_SECRET: z.string().min(8).optional(),
    LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
    /** Largest CSV upload accepted, in bytes (413 above). */
    UPLOAD_MAX_BYTES: z.coerce.number().int().min(1).default(64 * 1024 * 1024),
    /** Largest `quantity` accepted by one generate call. */
    GENERATE_MAX_QUANTITY: z.coerce.number().int().min(1).default(1_000_000),
    /** Upstash Redis over HTTPS (Vercel): rate limits use it when both are set, before REDIS_URL. */
    UPSTASH_REDIS_REST_URL: z.string().url().optional(),
    UPSTASH_REDIS_REST_TOKEN: z.string().min(1).optional(),
    /** Code attempts per shopper per minute (internal redeem, shopper sessions). */
    RATE_LIMIT_USER_PER_MINUTE: z.coerce.number().int().min(1).default(10),
    /** Code attempts per client ip per minute. */
    RATE_LIMIT_IP_PER_MINUTE: z.coerce.number().int().min(1).default(30),
    /** Requests per API key per minute. */
    RATE_LIMIT_API_KEY_PER_MINUTE: z.coerce.number().int().min(1).default(6000),
    /** Seller sign-up attempts per client ip, and per email, in 10 minutes (each counted on its own). */
    RATE_LIMIT_SIGNUP_PER_10_MIN: z.coerce.number().int().min(1).default(5),
    /** How long a limiter call may wait for Redis before the in-process limiter decides instead. */
    RATE_LIMIT_TIMEOUT_MS: z.coerce.number().int().min(10).max(5000).default(250),
    RATE_LIMIT_PREFIX: z.string().min(1).max(100).default("coupons:rl"),
    /**
     * Reverse proxies in front of the app that append the address they saw to X-Forwarded-For (a load
     * balancer: 1; a CDN then a load balancer: 2). 0: no proxy, and no client-sent header is trusted.
     */
    TRUSTED_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(0),
    /** `1` on Vercel (set by the platform): the client ip comes from the headers Vercel itself sets. */
    VERCEL: z.string().optional(),
    /** Bearer token GET /api/metrics requires when set (open when unset). */
    METRICS_TOKEN: z.string().min(16).optional(),
    /** Rows a maintenance job handles per batch; a run loops over batches up to JOB_MAX_BATCHES. */
    JOB_BATCH_SIZE: z.coerce.number().int().min(1).max(10_000).default(500),
    JOB_MAX_BATCHES: z.coerce.number().int().min(1).max(1_000).default(20),
    /** Brute-force guard (DESIGN §8): the window it looks back over, and what pauses a UNIQUE campaign. */
    GUARD_WINDOW_SECONDS: z.coerce.number().int().min(60).max(86_400).default(600),
    /** Failed attempts on a campaign (unknown codes attributed to it by prefix, failures on its codes). */
    GUARD_MIN_FAILED_ATTEMPTS: z.coerce.number().int().min(1).default(100),
    /** ... from at least this many distinct shoppers. */
    GUARD_MIN_DISTINCT_USERS: z.coerce.number().int().min(1).default(20),
    /** One code hash of a campaign tried by at least this many distinct shoppers (a leaked code). */
    GUARD_HASH_MIN_DISTINCT_USERS: z.coerce.number().int().min(2).default(10),
    /** Alert channels (DESIGN §8); a channel without its URL is skipped. */
    OPS_ALERT_WEBHOOK_URL: z.string().url().optional(),
    OPS_ALERT_SLACK_WEBHOOK_URL: z.string().url().optional(),
    OPS_ALERT_PAGERDUTY_EVENTS_URL: z.string().url().default("https://events.pagerduty.com/v2/enqueue"),
    OPS_ALERT_PAGERDUTY_ROUTING_KEY: z.string().min(1).optional(),
    /** Per-event overrides of severity, escalation and channels; validated where it is read (a bad one keeps the defaults). */
    OPS_ALERT_ESCALATION_POLICY_JSON: z.string().optional(),
    OPS_ALERT_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(5_000),
    /** Deliveries of one alert to one channel before it is marked FAILED (retried with backoff until then). */
    OPS_ALERT_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(20),
    /** Inngest Cloud's event key, or INNGEST_DEV (the local dev server): without either, request paths don't announce alerts (the cron delivers them). */
    INNGEST_EVENT_KEY: z.string().min(1).optional(),
    INNGEST_DEV: z.string().optional(),
    /** Inngest Cloud's signing key: /api/inngest verifies Inngest's calls with it. */
    INNGEST_SIGNING_KEY: z.string().min(1).optional(),
    /**
     * Whether anyone may create a seller account at /signup. Unset: `closed` in production (a deployment
     * opens it on purpose), `open` in development and tests; read through `sellerSignUpOpen()`.
     */
    SELLER_SIGNUP: z.enum(["open", "closed"]).optional(),
    /** GitHub OAuth app: the GitHub sign-in button exists only when both are set. */
    AUTH_GITHUB_ID: z.string().min(1).optional(),
    AUTH_GITHUB_SECRET: z.string().min(1).optional(),
    /**
     * A GitHub Enterprise Server (`https://github.example.com`) instead of github.com: sign-in goes to its
     * /login/oauth, the profile and emails come from its /api/v3. The OAuth client secret and the users'
     * tokens travel to it, so only HTTPS, or plain HTTP to a loopback address (a server on this machine).
     */
    AUTH_GITHUB_ENTERPRISE_URL: z
      .string()
      .url()
      .refine((value) => {
        const url = URL.canParse(value) ? new URL(value) : null;
        return url?.protocol === "https:" || (url?.protocol === "http:" && LOOPBACK_HOSTS.has(url.hostname));
      }, "must be an https:// URL (http:// only for localhost, 127.0.0.1 or [::1])")
      .refine((value) => !URL.canParse(value) || (!new URL(value).search && !new URL(value).hash), "must be a base URL, without a query or fragment")
      .transform((value) => value.replace(/\/+$/, ""))
      .optional(),
    /** `1` lets a production server run while the demo accounts still have the public demo password (local trials, e2e). */
    ALLOW_DEMO_ACCOUNTS: z.enum(["0", "1"]).default("0"),
};

type Fields = typeof fields;
export type SettingKey = keyof Fields;
type FieldValues<K extends SettingKey> = { [P in K]: z.infer<Fields[P]> };
type Source = Record<string, string | undefined>;

/** Rules between settings, checked whenever all of their settings are read together. */
const pairs: { keys: [SettingKey, SettingKey]; message: string }[] = [
  { keys: ["UPSTASH_REDIS_REST_URL", "UPSTASH_REDIS_REST_TOKEN"], message: "UPSTASH_REDIS_REST_URL and UPSTASH_REDIS_REST_TOKEN go together" },
  { keys: ["AUTH_GITHUB_ID", "AUTH_GITHUB_SECRET"], message: "AUTH_GITHUB_ID and AUTH_GITHUB_SECRET go together" },
];

function validate<K extends SettingKey>(source: Source, keys: readonly K[]): FieldValues<K> {
  const picked = z
    .object(Object.fromEntries(keys.map((key) => [key, fields[key]])) as Pick<Fields, K>)
    .superRefine((values, ctx) => {
      const read = values as Record<string, unknown>;
      for (const { keys: [a, b], message } of pairs) {
        if (keys.includes(a as K) && keys.includes(b as K) && Boolean(read[a]) !== Boolean(read[b])) {
          ctx.addIssue({ code: "custom", path: [b], message });
        }
      }
    });
  const parsed = picked.safeParse(source);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
    throw new Error(`Invalid environment: ${problems}`);
  }
  return parsed.data as FieldValues<K>;
}

export type Env = FieldValues<SettingKey>;

/** Validates a whole environment given as a plain object (never process.env itself); exported so the defaults can be tested. */
export function parseEnv(source: Source): Env {
  return validate(source, Object.keys(fields) as SettingKey[]);
}

const cache = new Map<string, { snapshot: string; values: unknown }>();

/**
 * The only reader of the app's settings in process.env (STYLE.md). Only the named settings are
 * validated: a job or a script that reads two settings must not refuse to run because of a third it
 * never uses. The caching rule: a result is reused while the raw values of the named keys are the
 * ones it was parsed from, so a hot path re-validates nothing and a changed variable is seen on the
 * very next call. Tests change settings with testing/settings.ts (`overrideSettings`, `withSettings`).
 */
export function settings<K extends SettingKey>(...keys: K[]): FieldValues<K> {
  const id = keys.join(",");
  const snapshot = JSON.stringify(keys.map((key) => process.env[key] ?? null));
  const hit = cache.get(id);
  if (hit?.snapshot === snapshot) return hit.values as FieldValues<K>;
  // Frozen: every caller of these keys shares the object.
  const values = Object.freeze(validate(process.env, keys));
  cache.set(id, { snapshot, values });
  return values;
}

/** The secrets a production server refuses to run without (authSecret, codeHashSecret). */
const PRODUCTION_SECRETS = ["AUTH_SECRET", "CODE_HASH_SECRET"] as const;
export type ProductionSecret = (typeof PRODUCTION_SECRETS)[number];

export function missingProductionSecrets(source: Source): ProductionSecret[] {
  return PRODUCTION_SECRETS.filter((name) => !source[name]);
}

export function productionSecretsMessage(missing: readonly ProductionSecret[]): string {
  return `${missing.join(" and ")} must be set to run the production server (e.g. \`openssl rand -base64 33\` for each; keep them: sessions and attempt logs depend on them).`;
}

/** Secrets with development defaults; production refuses to run without them. */
export function authSecret(): string {
  const { AUTH_SECRET, NODE_ENV } = settings("AUTH_SECRET", "NODE_ENV");
  if (AUTH_SECRET) return AUTH_SECRET;
  if (NODE_ENV === "production") throw new Error("AUTH_SECRET must be set in production");
  return DEV_AUTH_SECRET;
}

export function codeHashSecret(): string {
  const { CODE_HASH_SECRET, NODE_ENV } = settings("CODE_HASH_SECRET", "NODE_ENV");
  if (CODE_HASH_SECRET) return CODE_HASH_SECRET;
  if (NODE_ENV === "production") throw new Error("CODE_HASH_SECRET must be set in production");
  return DEV_CODE_HASH_SECRET;
}

/** Whether seller sign-up is open (SELLER_SIGNUP): closed by default in production only. */
export function sellerSignUpOpen(): boolean {
  const { SELLER_SIGNUP, NODE_ENV } = settings("SELLER_SIGNUP", "NODE_ENV");
  return (SELLER_SIGNUP ?? (NODE_ENV === "production" ? "closed" : "open")) === "open";
}

/**
 * The GitHub OAuth app's credentials, or null when GitHub sign-in is off; `enterprise` (Auth.js's
 * GitHub provider option) when the app lives on a GitHub Enterprise Server.
 */
export function githubOAuth(): { clientId: string; clientSecret: string; enterprise?: { baseUrl: string } } | null {
  const { AUTH_GITHUB_ID, AUTH_GITHUB_SECRET, AUTH_GITHUB_ENTERPRISE_URL } = settings("AUTH_GITHUB_ID", "AUTH_GITHUB_SECRET", "AUTH_GITHUB_ENTERPRISE_URL");
  if (!AUTH_GITHUB_ID || !AUTH_GITHUB_SECRET) return null;
  return {
    clientId: AUTH_GITHUB_ID,
    clientSecret: AUTH_GITHUB_SECRET,
    ...(AUTH_GITHUB_ENTERPRISE_URL ? { enterprise: { baseUrl: AUTH_GITHUB_ENTERPRISE_URL } } : {}),
  };
}
