import { Ratelimit } from "@upstash/ratelimit";
import type { Redis as UpstashRedis } from "@upstash/redis";
import { settings } from "@/lib/env";
import { logger } from "@/lib/log";
import { getRedisBackend } from "@/lib/redis";
import { upstashCompatibleRedis } from "./ioredis-adapter";
import { MemoryWindow } from "./memory-window";

export type LimitKind = "user" | "ip" | "apiKey";
export interface LimitKey {
  kind: LimitKind;
  /** Already free of secrets: ips arrive hashed. */
  id: string;
}
export type RateLimitVerdict = { limited: false } | { limited: true; kind: LimitKind; retryAfterSeconds: number };
export type RateLimitBackend = "upstash" | "redis" | "memory";

export interface RateLimiter {
  readonly backend: RateLimitBackend;
  /** Counts one request against every key; limited when any of them is over its limit. */
  check(keys: LimitKey[]): Promise<RateLimitVerdict>;
}

export interface RateLimiterOptions {
  /** Anything that speaks the @upstash/redis commands the library uses; null → in-process only. */
  redis: unknown;
  backend: RateLimitBackend;
  perMinute: Record<LimitKind, number>;
  prefix: string;
  timeoutMs: number;
}

const WINDOW_MS = 60_000;
const KINDS: LimitKind[] = ["user", "ip", "apiKey"];

/**
 * Rate limits with @upstash/ratelimit's sliding window over Redis, and an in-process sliding window
 * beside it. Failure policy (Redis is an accelerator, DESIGN §1): when Redis errors or does not
 * answer within `timeoutMs`, that request is counted by the in-process limiter instead, so limits
 * still hold per instance and no request waits on a dead Redis.
 */
export function createRateLimiter(options: RateLimiterOptions): RateLimiter {
  const local = Object.fromEntries(KINDS.map((kind) => [kind, new MemoryWindow(options.perMinute[kind], WINDOW_MS)])) as Record<LimitKind, MemoryWindow>;
  const remote = options.redis
    ? (Object.fromEntries(
        KINDS.map((kind) => [
          kind,
          new Ratelimit({
            redis: options.redis as UpstashRedis,
            limiter: Ratelimit.slidingWindow(options.perMinute[kind], "60 s"),
            prefix: `${options.prefix}:${kind}`,
            timeout: options.timeoutMs,
            analytics: false,
          }),
        ]),
      ) as Record<LimitKind, Ratelimit>)
    : null;

  let lastWarning = 0;
  const fallBack = (reason: string) => {
    if (Date.now() - lastWarning > 60_000) {
      lastWarning = Date.now();
      logger.warn({ backend: options.backend, reason }, "rate limiter: Redis unavailable, counting in this process");
    }
  };

  async function hit({ kind, id }: LimitKey) {
    if (remote) {
      try {
        const response = await remote[kind].limit(id);
        if (response.reason !== "timeout") return { success: response.success, reset: response.reset };
        fallBack("timeout");
      } catch (error) {
        fallBack((error as Error).message?.slice(0, 200) ?? "error");
      }
    }
    return local[kind].hit(id);
  }

  return {
    backend: options.backend,
    async check(keys) {
      const results = await Promise.all(keys.map(async (key) => ({ key, ...(await hit(key)) })));
      const denied = results.find((r) => !r.success);
      if (!denied) return { limited: false };
      return { limited: true, kind: denied.key.kind, retryAfterSeconds: Math.max(1, Math.ceil((denied.reset - Date.now()) / 1000)) };
    },
  };
}

function fromEnv(): RateLimiter {
  const limits = settings(
    "RATE_LIMIT_USER_PER_MINUTE",
    "RATE_LIMIT_IP_PER_MINUTE",
    "RATE_LIMIT_API_KEY_PER_MINUTE",
    "RATE_LIMIT_PREFIX",
    "RATE_LIMIT_TIMEOUT_MS",
  );
  const common = {
    perMinute: { user: limits.RATE_LIMIT_USER_PER_MINUTE, ip: limits.RATE_LIMIT_IP_PER_MINUTE, apiKey: limits.RATE_LIMIT_API_KEY_PER_MINUTE },
    prefix: limits.RATE_LIMIT_PREFIX,
    timeoutMs: limits.RATE_LIMIT_TIMEOUT_MS,
  };
  const backend = getRedisBackend();
  if (backend?.kind === "upstash") return createRateLimiter({ ...common, redis: backend.client, backend: "upstash" });
  if (backend?.kind === "redis") return createRateLimiter({ ...common, redis: upstashCompatibleRedis(backend.client), backend: "redis" });
  return createRateLimiter({ ...common, redis: null, backend: "memory" });
}

const globalForLimiter = globalThis as unknown as { couponRateLimiter?: RateLimiter };

/** The process-wide limiter, built from the environment on first use. */
export function rateLimiter(): RateLimiter {
  globalForLimiter.couponRateLimiter ??= fromEnv();
  return globalForLimiter.couponRateLimiter;
}

/** Test seam: run route handlers against another limiter; returns the function that restores the previous one. */
export function replaceRateLimiter(limiter: RateLimiter): () => void {
  const previous = globalForLimiter.couponRateLimiter;
  globalForLimiter.couponRateLimiter = limiter;
  return () => {
    globalForLimiter.couponRateLimiter = previous;
  };
}

/** One line at server start saying where limits are counted (instrumentation.ts). */
export function logRateLimitBackend() {
  const { backend } = rateLimiter();
  if (backend === "memory") {
    logger.warn({ backend }, "rate limits are counted per process: set REDIS_URL or UPSTASH_REDIS_REST_URL/TOKEN to share them between instances");
  } else {
    logger.info({ backend }, "rate limits are counted in Redis");
  }
}
