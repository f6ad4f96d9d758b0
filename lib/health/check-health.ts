import { sql } from "drizzle-orm";
import type { Redis as UpstashRedis } from "@upstash/redis";
import Redis from "ioredis";
import type { DbOrTx } from "@/db/client";

const startedAt = Date.now();

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return Promise.race([promise, new Promise<T>((_, reject) => setTimeout(() => reject(new Error("timeout")), ms).unref())]);
}

/** Pings Redis; a client still connecting (fresh process, offline queue off) is given the timeout to come up. */
async function pingRedis(redis: Redis | UpstashRedis) {
  if (redis instanceof Redis && redis.status !== "ready") {
    await new Promise<void>((resolve, reject) => {
      redis.once("ready", () => resolve());
      redis.once("error", reject);
      if (redis.status === "wait") redis.connect().catch(reject);
    });
  }
  await redis.ping();
}

export type RedisState = "connected" | "disconnected" | "not_configured";

/** Seed 003's /health: 503 when the database is down; a Redis outage only degrades. */
export async function checkHealth(db: DbOrTx, redis: Redis | UpstashRedis | null) {
  const database = await withTimeout(db.execute(sql`select 1`), 2000).then(
    () => "connected" as const,
    () => "disconnected" as const,
  );
  let redisState: RedisState = "not_configured";
  if (redis) {
    redisState = await withTimeout(pingRedis(redis), 1000).then(
      () => "connected" as const,
      () => "disconnected" as const,
    );
  }
  const status = database === "connected" && redisState !== "disconnected" ? "ok" : "degraded";
  return {
    httpStatus: database === "connected" ? 200 : 503,
    body: { status, timestamp: new Date().toISOString(), database, redis: redisState, uptime: Date.now() - startedAt },
  };
}
