import { z } from "zod";

/** Where the embedded PostgreSQL listens when DATABASE_URL is unset (scripts/embedded-postgres.ts). */
export const EMBEDDED_PG_PORT = Number(process.env.EMBEDDED_PG_PORT ?? 54329);
export const embeddedDatabaseUrl = (database: string) =>
  `postgres://postgres:postgres@127.0.0.1:${EMBEDDED_PG_PORT}/${database}`;

const DEV_AUTH_SECRET = "dev-only-auth-secret-change-me-in-production-0123456789";
const DEV_CODE_HASH_SECRET = "dev-only-code-hash-secret";

/** Every setting, each validated on its own so that a job can check only the ones it reads (`settings`). */
const fields = {
    NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
    DATABASE_URL: z.string().url().default(embeddedDatabaseUrl("coupons_dev")),
    DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(200).default(20),
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
    /** How long a limiter call may wait for Redis before the in-process limiter decides instead. */
    RATE_LIMIT_TIMEOUT_MS: z.coerce.number().int().min(10).max(5000).default(250),
    RATE_LIMIT_PREFIX: z.string().min(1).max(100).default("coupons:rl"),
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
};

const schema = z
  .object(fields)
  .refine((e) => Boolean(e.UPSTASH_REDIS_REST_URL) === Boolean(e.UPSTASH_REDIS_REST_TOKEN), {
    path: ["UPSTASH_REDIS_REST_TOKEN"],
    message: "UPSTASH_REDIS_REST_URL and UPSTASH_REDIS_REST_TOKEN go together",
  });

export type Env = z.infer<typeof schema>;

/** Validates an environment (process.env by default); exported so the defaults can be tested. */
export function parseEnv(source: Record<string, string | undefined> = process.env): Env {
  const parsed = schema.safeParse(source);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
    throw new Error(`Invalid environment: ${problems}`);
  }
  return parsed.data;
}

type Fields = typeof fields;
type FieldValues<K extends keyof Fields> = { [P in K]: z.infer<Fields[P]> };

/**
 * Only the named settings, validated alone: a job or a script that reads two settings must not
 * refuse to run because of a third it never uses.
 */
export function settings<K extends keyof Fields>(...keys: K[]): FieldValues<K> {
  const picked = z.object(Object.fromEntries(keys.map((key) => [key, fields[key]])) as Pick<Fields, K>);
  const parsed = picked.safeParse(process.env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
    throw new Error(`Invalid environment: ${problems}`);
  }
  return parsed.data as FieldValues<K>;
}

/** The only reader of process.env for the app (STYLE.md). Parsed once, on first use. */
let cached: Env | undefined;
export function env(): Env {
  cached ??= parseEnv();
  return cached;
}

/** Secrets with development defaults; production refuses to run without them. */
export function authSecret(): string {
  const value = env().AUTH_SECRET;
  if (value) return value;
  if (env().NODE_ENV === "production") throw new Error("AUTH_SECRET must be set in production");
  return DEV_AUTH_SECRET;
}

export function codeHashSecret(): string {
  const value = env().CODE_HASH_SECRET;
  if (value) return value;
  if (env().NODE_ENV === "production") throw new Error("CODE_HASH_SECRET must be set in production");
  return DEV_CODE_HASH_SECRET;
}
