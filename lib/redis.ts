import { Redis as UpstashRedis } from "@upstash/redis";
import Redis from "ioredis";
import { settings } from "@/lib/env";

const globalForRedis = globalThis as unknown as { couponRedis?: Redis | null; couponUpstash?: UpstashRedis | null };

/**
 * The shared Redis client, or null when REDIS_URL is unset. Redis is an accelerator only: commands
 * fail fast while it is down instead of queueing forever (TOOLCHAIN.md).
 */
function getRedis(): Redis | null {
  if (globalForRedis.couponRedis !== undefined) return globalForRedis.couponRedis;
  const url = settings("REDIS_URL").REDIS_URL;
  globalForRedis.couponRedis = url
    ? new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1, connectTimeout: 1000, lazyConnect: false })
    : null;
  globalForRedis.couponRedis?.on("error", () => {}); // surfaced by health, not as unhandled events
  return globalForRedis.couponRedis;
}

/** Upstash Redis over HTTPS (Vercel, where TCP clients do not fit), or null unless both settings are set. */
function getUpstashRedis(): UpstashRedis | null {
  if (globalForRedis.couponUpstash !== undefined) return globalForRedis.couponUpstash;
  const { UPSTASH_REDIS_REST_URL: url, UPSTASH_REDIS_REST_TOKEN: token } = settings("UPSTASH_REDIS_REST_URL", "UPSTASH_REDIS_REST_TOKEN");
  globalForRedis.couponUpstash = url && token ? new UpstashRedis({ url, token, retry: { retries: 0 } }) : null;
  return globalForRedis.couponUpstash;
}

export type RedisBackend = { kind: "upstash"; client: UpstashRedis } | { kind: "redis"; client: Redis };

/** The Redis the app counts rate limits in: Upstash when configured, else REDIS_URL's server, else none. */
export function getRedisBackend(): RedisBackend | null {
  const upstash = getUpstashRedis();
  if (upstash) return { kind: "upstash", client: upstash };
  const redis = getRedis();
  return redis ? { kind: "redis", client: redis } : null;
}

export async function closeRedis() {
  const current = globalForRedis.couponRedis;
  globalForRedis.couponRedis = undefined;
  globalForRedis.couponUpstash = undefined;
  current?.disconnect();
}
