import { randomUUID } from "node:crypto";
import Redis from "ioredis";
import { afterEach, describe, expect, it, vi } from "vitest";
import { GET as listBooksRoute } from "@/app/api/coupon-books/route";
import { POST as assignCodeRoute } from "@/app/api/assignments/[code]/route";
import { GET as userAssignmentsRoute } from "@/app/api/assignments/user/[userId]/route";
import { db } from "@/db/client";
import { businessWithKey, genericBook } from "@/testing/fixtures";
import { freezeDateMidMinute } from "@/testing/frozen-date";
import { call, sessionCookie, testUserId } from "@/testing/http";
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

/** A Redis that accepts every command and never answers (a hung connection, not a refused one). */
function silentRedis() {
  return new Proxy({}, { get: (_target, property) => (property === "then" ? undefined : () => new Promise(() => {})) });
}

/**
 * Whether `promise` settles within a few turns of the event loop while the fake clock stands still:
 * an answer that needed the limiter's timeout to fire would never come, so this fails at once
 * instead of measuring how long the machine took.
 */
async function settlesWithoutTimers<T>(promise: Promise<T>): Promise<T | "waiting"> {
  let outcome: { value: T } | undefined;
  void promise.then((value) => (outcome = { value }));
  for (let turn = 0; turn < 50 && !outcome; turn++) await new Promise((resolve) => setImmediate(resolve));
  return outcome ? outcome.value : "waiting";
}

let restore: (() => void) | undefined;
let unfreeze: (() => void) | undefined;
const clients: Redis[] = [];
afterEach(() => {
  restore?.();
  restore = undefined;
  unfreeze?.();
  unfreeze = undefined;
  vi.useRealTimers();
  for (const client of clients.splice(0)) client.disconnect();
});

describe("rate limiter", () => {
  it.runIf(process.env.REDIS_URL)("counts in Redis 7.0 through the ioredis adapter, shared by every app instance", async () => {
    const redis = new Redis(process.env.REDIS_URL!, { enableOfflineQueue: true });
    clients.push(redis);
    unfreeze = freezeDateMidMinute();
    const options = { redis: upstashCompatibleRedis(redis), backend: "redis" as const, perMinute: limits({ user: 3 }), prefix: unique(), timeoutMs: 1000 };
    const instanceA = createRateLimiter(options);
    const instanceB = createRateLimiter({ ...options, redis: upstashCompatibleRedis(redis) });
    const verdicts = [];
    for (const limiter of [instanceA, instanceB, instanceA, instanceB]) verdicts.push(await limiter.check([{ kind: "user", id: "ana" }]));
    expect(verdicts.map((v) => v.limited)).toEqual([false, false, false, true]);
    expect(verdicts[3]).toMatchObject({ kind: "user" });
    expect((await redis.keys(`${options.prefix}:user:ana:*`)).length).toBeGreaterThan(0);
  });

  it("with Redis unreachable, counts in this process without waiting for the timeout, and still limits", async () => {
    const redis = deadRedis();
    clients.push(redis);
    const limiter = createRateLimiter({ redis: upstashCompatibleRedis(redis), backend: "redis", perMinute: limits({ user: 2 }), prefix: unique(), timeoutMs: 250 });
    // The limiter's timeout can never fire: a refused connection must be answered without it.
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"], now: new Date("2026-01-01T00:00:30Z") });
    const verdicts = [];
    for (let i = 0; i < 3; i++) verdicts.push(await settlesWithoutTimers(limiter.check([{ kind: "user", id: "ana" }])));
    expect(verdicts).toEqual([{ limited: false }, { limited: false }, { limited: true, kind: "user", retryAfterSeconds: 30 }]);
  });

  it("with Redis silent, waits exactly timeoutMs, then counts in this process", async () => {
    const limiter = createRateLimiter({ redis: silentRedis(), backend: "redis", perMinute: limits({ user: 1 }), prefix: unique(), timeoutMs: 250 });
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"], now: new Date("2026-01-01T00:00:30Z") });
    const verdicts = [];
    for (let i = 0; i < 2; i++) {
      const check = limiter.check([{ kind: "user", id: "ana" }]);
      await vi.advanceTimersByTimeAsync(249);
      expect(await settlesWithoutTimers(check)).toBe("waiting");
      await vi.advanceTimersByTimeAsync(1);
      verdicts.push(await settlesWithoutTimers(check));
    }
    expect(verdicts).toEqual([{ limited: false }, { limited: true, kind: "user", retryAfterSeconds: 30 }]);
  });

  it("with Redis unreachable, the internal redeem still answers correctly and health is degraded", async () => {
    const redis = deadRedis();
    clients.push(redis);
    // A timeout longer than the test's own: a redeem that waited on the dead Redis could not pass.
    restore = replaceRateLimiter(createRateLimiter({ redis: upstashCompatibleRedis(redis), backend: "redis", perMinute: limits({}), prefix: unique(), timeoutMs: 600_000 }));
    const { businessId } = await businessWithKey();
    await genericBook(businessId, "NOREDIS", { discountType: "FIXED", discountValue: 300 });

    const accepted = await promoRedeem({ userId: "ana", code: "NOREDIS", checkoutId: "c-1", cart: cartOf(businessId) });
    expect(accepted.body).toMatchObject({ result: "ACCEPTED", discountAmount: 300 });
    const invalid = await promoRedeem({ userId: "ana", code: "NOPE-NOPE", checkoutId: "c-2", cart: cartOf(businessId) });
    expect(invalid.body.result).toBe("INVALID");

    const health = await checkHealth(db, redis);
    expect(health).toMatchObject({ httpStatus: 200, body: { status: "degraded", redis: "disconnected", database: "connected" } });
  });

  it("limits API keys per key on every route, and shoppers per user on the routes that take a code", async () => {
    restore = replaceRateLimiter(createRateLimiter({ redis: null, backend: "memory", perMinute: limits({ apiKey: 2, user: 2 }), prefix: unique(), timeoutMs: 100 }));
    unfreeze = freezeDateMidMinute();
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
    const wallet = await call(userAssignmentsRoute, { path: `/api/assignments/user/${testUserId("shopper-9")}`, params: { userId: testUserId("shopper-9") }, ...shopper });
    expect(wallet.status).toBe(200); // reading one's own wallet is not a code attempt
  });
});
