import Redis from "ioredis";
import { env } from "@/lib/env";

const globalForRedis = globalThis as unknown as { couponRedis?: Redis | null };

/**
 * The shared Redis client, or null when REDIS_URL is unset. Redis is an accelerator only: commands
 * fail fast while it is down instead of queueing forever (TOOLCHAIN.md).
 */
export function getRedis(): Redis | null {
  if (globalForRedis.couponRedis !== undefined) return globalForRedis.couponRedis;
  const url = env().REDIS_URL;
  globalForRedis.couponRedis = url
    ? new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1, connectTimeout: 1000, lazyConnect: false })
    : null;
  globalForRedis.couponRedis?.on("error", () => {}); // surfaced by health, not as unhandled events
  return globalForRedis.couponRedis;
}

export async function closeRedis() {
  const current = globalForRedis.couponRedis;
  globalForRedis.couponRedis = undefined;
  current?.disconnect();
}
