import { Ratelimit } from "@upstash/ratelimit";
import type { Redis as UpstashRedis } from "@upstash/redis";
import { settings } from "@/lib/env";
import { loggableError } from "@/lib/errors";
import { logger } from "@/lib/log";
import { metrics } from "@/lib/metrics/registry";
import { getRedisBackend } from "@/lib/redis";
import { upstashCompatibleRedis } from "./ioredis-adapter";
import { MemoryWindow } from "./memory-window";

export type LimitKind = "user" | "ip" | "apiKey" | "signUpIp" | "signUpEmail";
/** The kinds counted per minute; sign-ups count over 10 minutes (WINDOW_MS). */
type PerMinuteKind = "user" | "ip" | "apiKey";
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
  perMinute: Record<PerMinuteKind, number>;
  /** Seller sign-up attempts per ip and per email in 10 minutes; default 5. */
  signUpPer10Minutes?: number;
  prefix: string;
  timeoutMs: number;
}

const MINUTE_MS = 60_000;
/**
 * A shopper may try a few codes a minute, but nobody signs up five times in ten minutes: a per-minute
 * window would let a script create 5 accounts every minute from one ip.
 */
const WINDOW_MS: Record<LimitKind, number> = { user: MINUTE_MS, ip: MINUTE_MS, apiKey: MINUTE_MS, signUpIp: 10 * MINUTE_MS, signUpEmail: 10 * MINUTE_MS };
const KINDS = Object.keys(WINDOW_MS) as LimitKind[];
const DEFAULT_SIGN_UPS_PER_10_MIN = 5;
const TIMED_OUT = Symbol("timed out");

/**
 * `request`, or TIMED_OUT when it has not settled `ms` after the call. The decision is taken in a
 * setImmediate after the timer, not in the timer itself: when the event loop was busy past the
 * deadline (a burst of requests on two cores), the timer and Redis's answer are due together, and
 * Node runs timers before it reads sockets, so a timer that decided at once called a Redis that
 * had answered in a millisecond "too slow" (at ~120 requests/s every check of a busy stretch fell
 * back to in-process counting). setImmediate runs after the poll phase has read the socket, so an
 * answer already there wins; only a Redis that really did not answer in time loses.
 */
function withinTimeout<T>(request: Promise<T>, ms: number): Promise<T | typeof TIMED_OUT> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => setImmediate(() => resolve(TIMED_OUT)), ms);
    request.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

type FallbackReason = "timeout" | "error";

function countFallback(reason: FallbackReason) {
  try {
    metrics().rateLimitFallbacks.inc({ reason });
  } catch (error) {
    logger.warn(loggableError(error), "metrics: rate-limit fallback not counted");
  }
}

/**
 * Rate limits with @upstash/ratelimit's sliding window over Redis, and an in-process sliding window
 * beside it. Failure policy (Redis is an accelerator, DESIGN §1): when Redis errors or does not
 * answer within `timeoutMs`, that request is counted by the in-process limiter instead, so limits
 * still hold per instance and no request waits on a dead Redis. Each switch between the two is
 * logged once, and every fallback is counted in rate_limit_fallbacks_total.
 *
 * Counts across an outage: Redis may come back empty (a restart, a failover), and the requests
 * counted here meanwhile would be forgotten (25 in the outage + 30 after it passed a 30/min limit).
 * So an identifier this process counted in the current or previous window is checked against both
 * counts until its in-process count has slid out of the window; the stricter one decides.
 */
export function createRateLimiter(options: RateLimiterOptions): RateLimiter {
  const signUps = options.signUpPer10Minutes ?? DEFAULT_SIGN_UPS_PER_10_MIN;
  const max: Record<LimitKind, number> = { ...options.perMinute, signUpIp: signUps, signUpEmail: signUps };
  const local = Object.fromEntries(KINDS.map((kind) => [kind, new MemoryWindow(max[kind], WINDOW_MS[kind])])) as Record<LimitKind, MemoryWindow>;
  const remote = options.redis
    ? (Object.fromEntries(
        KINDS.map((kind) => [
          kind,
          new Ratelimit({
            redis: options.redis as UpstashRedis,
            limiter: Ratelimit.slidingWindow(max[kind], `${WINDOW_MS[kind] / 1000} s`),
            prefix: `${options.prefix}:${kind}`,
            // Timed here (withinTimeout): the library's own timer decides before reading the socket.
            timeout: 0,
            analytics: false,
          }),
        ]),
      ) as Record<LimitKind, Ratelimit>)
    : null;

  let onRedis = true;
  const fellBack = (reason: FallbackReason, error?: unknown) => {
    countFallback(reason);
    if (!onRedis) return;
    onRedis = false;
    logger.warn({ backend: options.backend, reason, ...(error ? loggableError(error) : {}) }, "rate limits counted in-process: Redis did not answer");
  };
  const answered = () => {
    if (onRedis) return;
    onRedis = true;
    logger.info({ backend: options.backend }, "rate limits back on Redis");
  };

  async function hit({ kind, id }: LimitKey): Promise<{ success: boolean; reset: number }> {
    if (!remote) return local[kind].hit(id);
    let answer: Awaited<ReturnType<Ratelimit["limit"]>> | typeof TIMED_OUT;
    try {
      answer = await withinTimeout(remote[kind].limit(id), options.timeoutMs);
    } catch (error) {
      fellBack("error", error);
      return local[kind].hit(id);
    }
    if (answer === TIMED_OUT) {
      fellBack("timeout");
      return local[kind].hit(id);
    }
    answered();
    const shared = { success: answer.success, reset: answer.reset };
    if (local[kind].count(id) === 0) return shared;
    // Counted here during an outage: keep counting here too until that count has slid out.
    const own = local[kind].hit(id);
    return shared.success ? own : shared;
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
    "RATE_LIMIT_SIGNUP_PER_10_MIN",
    "RATE_LIMIT_PREFIX",
    "RATE_LIMIT_TIMEOUT_MS",
  );
  const common = {
    perMinute: { user: limits.RATE_LIMIT_USER_PER_MINUTE, ip: limits.RATE_LIMIT_IP_PER_MINUTE, apiKey: limits.RATE_LIMIT_API_KEY_PER_MINUTE },
    signUpPer10Minutes: limits.RATE_LIMIT_SIGNUP_PER_10_MIN,
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
