import Redis from "ioredis";
import { describe, expect, it } from "vitest";
import { GET } from "@/app/api/health/route";
import { createDb, db } from "@/db/client";
import { call } from "@/testing/http";
import { checkHealth } from "@/lib/health/check-health";

describe("health", () => {
  it("answers ok with the database connected (Redis: connected when REDIS_URL is set, else not_configured)", async () => {
    const res = await call(GET, { path: "/api/health" });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: "ok", database: "connected", redis: process.env.REDIS_URL ? "connected" : "not_configured" });
    expect(typeof res.body.uptime).toBe("number");
    expect(Date.parse(res.body.timestamp)).not.toBeNaN();
  });

  it("is degraded, still 200, when Redis is unreachable", async () => {
    const deadRedis = new Redis("redis://127.0.0.1:1", { enableOfflineQueue: false, maxRetriesPerRequest: 1, lazyConnect: true, retryStrategy: () => null });
    deadRedis.on("error", () => {});
    const health = await checkHealth(db, deadRedis);
    expect(health.httpStatus).toBe(200);
    expect(health.body).toMatchObject({ status: "degraded", redis: "disconnected", database: "connected" });
    deadRedis.disconnect();
  });

  it.runIf(process.env.REDIS_URL)("reports Redis connected when REDIS_URL answers", async () => {
    const redis = new Redis(process.env.REDIS_URL!, { retryStrategy: () => null, enableOfflineQueue: true });
    redis.on("error", () => {});
    const health = await checkHealth(db, redis);
    expect(health.body).toMatchObject({ status: "ok", redis: "connected" });
    redis.disconnect();
  });

  it("answers 503 when the database is down", async () => {
    const down = createDb("postgres://postgres:postgres@127.0.0.1:1/none", { max: 1 });
    const health = await checkHealth(down.db, null);
    expect(health.httpStatus).toBe(503);
    expect(health.body).toMatchObject({ status: "degraded", database: "disconnected" });
    await down.client.end({ timeout: 1 });
  });
});
