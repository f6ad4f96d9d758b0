import { z } from "zod";

/** Where the embedded PostgreSQL listens when DATABASE_URL is unset (scripts/embedded-postgres.ts). */
export const EMBEDDED_PG_PORT = Number(process.env.EMBEDDED_PG_PORT ?? 54329);
export const embeddedDatabaseUrl = (database: string) =>
  `postgres://postgres:postgres@127.0.0.1:${EMBEDDED_PG_PORT}/${database}`;

const DEV_AUTH_SECRET = "dev-only-auth-secret-change-me-in-production-0123456789";
const DEV_CODE_HASH_SECRET = "dev-only-code-hash-secret";

const schema = z
  .object({
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
  })
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
