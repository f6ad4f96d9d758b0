import { randomUUID } from "node:crypto";
import Redis from "ioredis";
import { afterEach, describe, expect, it } from "vitest";
import { GET as listBooksRoute } from "@/app/api/coupon-books/route";
import { POST as assignCodeRoute } from "@/app/api/assignments/[code]/route";
import { GET as userAssignmentsRoute } from "@/app/api/assignments/user/[userId]/route";
import { db } from "@/db/client";
import { businessWithKey, genericBook } from "@/testing/fixtures";
import { call, sessionCookie } from "@/testing/http";
import { cartOf, promoRedeem } from "@/testing/promo-api";
import { checkHealth } from "@/lib/health/check-health";
import { upstashCompatibleRedis } from "@/lib/rate-limit/ioredis-adapter";
import { createRateLimiter, replaceRateLimiter, type RateLimiterOptions } from "@/lib/rate-limit/rate-limiter";

const limits = (perMinute: Partial<RateLimiterOptions["perMinute"]>) => ({ user: 10, ip: 30, apiKey: 6000, ...perMinute });
const unique = () => `coupons:rl:test:${randomUUID()}`;

/** A client for a port nothing listens on: the outage, without stopping the shared Redis service. */
function deadRedis() {
  const redis = new Redis("redis://127.0.0.1:1", { enableOfflineQueue: false, maxRetriesPerRequest: 1, connectTimeout: 200, retryStrategy: () => 1000 });
  redis.on("error", () => {});
  return redis;
}

const timed = async <T>(work: () => Promise<T>) => {
  const started = performance.now();
  const value = await work();
  return { value, ms: performance.now() - started };
};

let restore: (() => void) | undefined;
const clients: Redis[] = [];
afterEach(() => {
  restore?.();
  restore = undefined;
  for (const client of clients.splice(0)) client.disconnect();
});

describe("rate limiter", () => {
  it.runIf(process.env.REDIS_URL)("counts in Redis 7.0 through the ioredis adapter, shared by every app instance", async () => {
    const redis = new Redis(process.env.REDIS_URL!, { enableOfflineQueue: true });
    clients.push(redis);
    const options = { redis: upstashCompatibleRedis(redis), backend: "redis" as const, perMinute: limits({ user: 3 }), prefix: unique(), timeoutMs: 1000 };
    const instanceA = createRateLimiter(options);
    const instanceB = createRateLimiter({ ...options, redis: upstashCompatibleRedis(redis) });
    const verdicts = [];
    for (const limiter of [instanceA, instanceB, instanceA, instanceB]) verdicts.push(await limiter.check([{ kind: "user", id: "ana" }]));
    expect(verdicts.map((v) => v.limited)).toEqual([false, false, false, true]);
    expect(verdicts[3]).toMatchObject({ kind: "user" });
    expect((await redis.keys(`${options.prefix}:user:ana:*`)).length).toBeGreaterThan(0);
  });

  it("with Redis unreachable, counts in this process without waiting, and still limits", async () => {
    const redis = deadRedis();
    clients.push(redis);
    const limiter = createRateLimiter({ redis: upstashCompatibleRedis(redis), backend: "redis", perMinute: limits({ user: 2 }), prefix: unique(), timeoutMs: 250 });
    const calls = [];
    for (let i = 0; i < 3; i++) calls.push(await timed(() => limiter.check([{ kind: "user", id: "ana" }])));
    expect(calls.map((c) => c.value.limited)).toEqual([false, false, true]);
    expect(Math.max(...calls.map((c) => c.ms))).toBeLessThan(500);
  });

  it("with Redis unreachable, the internal redeem still answers correctly within a second and health is degraded", async () => {
    const redis = deadRedis();
    clients.push(redis);
    restore = replaceRateLimiter(createRateLimiter({ redis: upstashCompatibleRedis(redis), backend: "redis", perMinute: limits({}), prefix: unique(), timeoutMs: 250 }));
    const { businessId } = await businessWithKey();
    await genericBook(businessId, "NOREDIS", { discountType: "FIXED", discountValue: 300 });

    const accepted = await timed(() => promoRedeem({ userId: "ana", code: "NOREDIS", checkoutId: "c-1", cart: cartOf(businessId) }));
    expect(accepted.value.body).toMatchObject({ result: "ACCEPTED", discountAmount: 300 });
    expect(accepted.ms).toBeLessThan(1000);
    const invalid = await timed(() => promoRedeem({ userId: "ana", code: "NOPE-NOPE", checkoutId: "c-2", cart: cartOf(businessId) }));
    expect(invalid.value.body.result).toBe("INVALID");
    expect(invalid.ms).toBeLessThan(1000);

    const health = await checkHealth(db, redis);
    expect(health).toMatchObject({ httpStatus: 200, body: { status: "degraded", redis: "disconnected", database: "connected" } });
  });

  it("limits API keys per key on every route, and shoppers per user on the routes that take a code", async () => {
    restore = replaceRateLimiter(createRateLimiter({ redis: null, backend: "memory", perMinute: limits({ apiKey: 2, user: 2 }), prefix: unique(), timeoutMs: 100 }));
    const { token, businessId } = await businessWithKey();
    const other = await businessWithKey();
    const list = (key: string) => call(listBooksRoute, { path: "/api/coupon-books", token: key });
    expect([(await list(token)).status, (await list(token)).status]).toEqual([200, 200]);
    const limited = await list(token);
    expect(limited.status).toBe(429);
    expect(limited.body).toMatchObject({ code: "RATE_LIMITED", limit: "apiKey" });
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    expect((await list(other.token)).status).toBe(200);

    await genericBook(businessId, "CLAIM1");
    const shopper = { cookie: await sessionCookie({ uid: "shopper-9", role: "shopper" }) };
    const claim = () => call(assignCodeRoute, { path: "/api/assignments/NOPE", params: { code: "NOPE" }, ...shopper, body: { businessId } });
    expect([(await claim()).status, (await claim()).status, (await claim()).status]).toEqual([404, 404, 429]);
    const wallet = await call(userAssignmentsRoute, { path: "/api/assignments/user/shopper-9", params: { userId: "shopper-9" }, ...shopper });
    expect(wallet.status).toBe(200); // reading one's own wallet is not a code attempt
  });
});
