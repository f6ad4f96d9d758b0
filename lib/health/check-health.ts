import { sql } from "drizzle-orm";
import type { Redis as UpstashRedis } from "@upstash/redis";
import Redis from "ioredis";
import { z } from "zod";
import type { DbOrTx } from "@/db/client";
import { wireDateTime } from "@/lib/wire";

const startedAt = Date.now();

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return Promise.race([promise, new Promise<T>((_, reject) => setTimeout(() => reject(new Error("timeout")), ms).unref())]);
}

/**
 * Waits for a client that is still connecting (a fresh process: the offline queue is off, so a
 * command sent now would fail), for at most `ms`. Its listeners go when it settles either way: left
 * on a client that never comes up, every probe during an outage added one, and ioredis warned
 * MaxListenersExceededWarning after ten.
 */
function untilReady(redis: Redis, ms: number) {
  return new Promise<void>((resolve, reject) => {
    const settle = (error?: Error) => {
      clearTimeout(timer);
      redis.off("ready", onReady);
      redis.off("error", onError);
      if (error) reject(error);
      else resolve();
    };
    const onReady = () => settle();
    const onError = (error: Error) => settle(error);
    const timer = setTimeout(() => settle(new Error("timeout")), ms);
    timer.unref();
    redis.on("ready", onReady);
    redis.on("error", onError);
    if (redis.status === "wait") redis.connect().catch(onError);
  });
}

/** Pings Redis; a client still connecting is given the timeout to come up, one that lost Redis is down. */
async function pingRedis(redis: Redis | UpstashRedis, ms: number) {
  if (redis instanceof Redis && redis.status !== "ready") {
    if (!["wait", "connecting", "connect"].includes(redis.status)) throw new Error(`redis ${redis.status}`);
    await untilReady(redis, ms);
  }
  await redis.ping();
}

const REDIS_STATES = ["connected", "disconnected", "not_configured"] as const;
export type RedisState = (typeof REDIS_STATES)[number];

/** The body of GET /api/health (and /health), whether it answers 200 or 503. */
export const HealthDto = z
  .strictObject({
    status: z.enum(["ok", "degraded"]).describe("`ok` when the database is connected and Redis is connected or not configured; `degraded` otherwise"),
    timestamp: wireDateTime.describe("When the checks ran"),
    database: z.enum(["connected", "disconnected"]),
    redis: z.enum(REDIS_STATES).describe("`not_configured` when the deployment runs without Redis"),
    uptime: z.number().int().min(0).describe("Milliseconds since this process started"),
  })
  .meta({ id: "Health", description: "Liveness of this process and of what it depends on. Holds no business data." });

/** Seed 003's /health: 503 when the database is down; a Redis outage only degrades. */
export async function checkHealth(db: DbOrTx, redis: Redis | UpstashRedis | null): Promise<{ httpStatus: 200 | 503; body: z.infer<typeof HealthDto> }> {
  const database = await withTimeout(db.execute(sql`select 1`), 2000).then(
    () => "connected" as const,
    () => "disconnected" as const,
  );
  let redisState: RedisState = "not_configured";
  if (redis) {
    redisState = await withTimeout(pingRedis(redis, 1000), 1000).then(
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
