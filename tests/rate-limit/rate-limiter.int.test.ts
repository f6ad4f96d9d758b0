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
import { captureLogs } from "@/lib/log";
import { metrics } from "@/lib/metrics/registry";
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

/** rate_limit_fallbacks_total of this process, by reason. */
async function fallbacks() {
  const { values } = await metrics().rateLimitFallbacks.get();
  return { timeout: values.find((v) => v.labels.reason === "timeout")?.value ?? 0, error: values.find((v) => v.labels.reason === "error")?.value ?? 0 };
}

/** A client whose calls go through, counted by command name. */
function counting(redis: Redis) {
  const calls: string[] = [];
  const proxy = new Proxy(redis, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver) as unknown;
      if (typeof value !== "function" || typeof property !== "string") return value;
      return (...args: unknown[]) => {
        calls.push(property);
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { redis: proxy, calls };
}

/** The adapter's commands go to `first` until switchTo(): an outage that ends, with Redis back empty. */
function switchable(first: ReturnType<typeof upstashCompatibleRedis>) {
  let target = first;
  const redis = new Proxy(
    {},
    { get: (_target, property) => (property === "then" ? undefined : (...args: unknown[]) => (target as Record<string | symbol, (...a: unknown[]) => unknown>)[property]!(...args)) },
  );
  return { redis, switchTo: (next: typeof first) => (target = next) };
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

/**
 * The client's listeners by event, less the `ready` and `close` pair ioredis itself holds while a
 * connection attempt is under way (it comes and goes with the reconnect timer).
 */
function listenerCounts(redis: Redis) {
  const counts: Record<string, number> = { error: 0, ready: 0, close: 0 };
  for (const name of redis.eventNames()) counts[String(name)] = redis.listenerCount(name);
  return { ...counts, ready: Math.max(0, counts.ready! - 1), close: Math.max(0, counts.close! - 1) };
}

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

  it.runIf(process.env.REDIS_URL)("loads each script once, then sends one EVALSHA per key and check", async () => {
    const redis = new Redis(process.env.REDIS_URL!, { enableOfflineQueue: true });
    clients.push(redis);
    const { redis: counted, calls } = counting(redis);
    // Under the limits: a refused identifier is answered from the library's in-process block list, without Redis.
    const limiter = createRateLimiter({ redis: upstashCompatibleRedis(counted), backend: "redis", perMinute: limits({ user: 1000, ip: 1000 }), prefix: unique(), timeoutMs: 1000 });
    await Promise.all(Array.from({ length: 20 }, (_, i) => limiter.check([{ kind: "user", id: `u${i}` }, { kind: "ip", id: "one-ip" }])));
    const firstRound = calls.splice(0);
    // The library's sha is unknown to Redis at first: the script goes up with EVAL, by the calls in flight then.
    expect(firstRound.filter((name) => name !== "eval")).toEqual([]);
    for (let round = 0; round < 5; round++) {
      await Promise.all(Array.from({ length: 20 }, (_, i) => limiter.check([{ kind: "user", id: `u${round}-${i}` }, { kind: "ip", id: "one-ip" }])));
    }
    expect(calls).toEqual(Array.from({ length: 5 * 20 * 2 }, () => "evalsha"));
  });

  it.runIf(process.env.REDIS_URL)("takes Redis's answer when the event loop was busy past the timeout (Node runs timers before it reads sockets)", async () => {
    const redis = new Redis(process.env.REDIS_URL!, { enableOfflineQueue: true });
    clients.push(redis);
    await redis.ping();
    const prefix = unique();
    const limiter = createRateLimiter({ redis: upstashCompatibleRedis(redis), backend: "redis", perMinute: limits({ user: 1 }), prefix, timeoutMs: 50 });
    await limiter.check([{ kind: "user", id: "warm-up" }]); // the script is loaded: one round trip below
    unfreeze = freezeDateMidMinute();
    const before = await fallbacks();
    const check = limiter.check([{ kind: "user", id: "ana" }]);
    const until = performance.now() + 300; // a busy handler beside the limiter, six times its timeout
    while (performance.now() < until);
    expect(await check).toEqual({ limited: false });
    expect(await fallbacks()).toEqual(before);
    expect(await limiter.check([{ kind: "user", id: "ana" }])).toMatchObject({ limited: true }); // counted in Redis, not here
    expect(await redis.keys(`${prefix}:user:ana:*`)).toHaveLength(1);
  });

  it("during an outage adds no listener per check or health probe (no MaxListenersExceededWarning)", async () => {
    const redis = new Redis("redis://127.0.0.1:6390", { enableOfflineQueue: false, maxRetriesPerRequest: 1, connectTimeout: 200 });
    redis.on("error", () => {});
    clients.push(redis);
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(`${warning.name}: ${warning.message}`);
    process.on("warning", onWarning);
    try {
      const limiter = createRateLimiter({ redis: upstashCompatibleRedis(redis), backend: "redis", perMinute: limits({}), prefix: unique(), timeoutMs: 250 });
      expect((await checkHealth(db, redis)).body.redis).toBe("disconnected"); // the client has given up its first connection
      const before = listenerCounts(redis);
      for (let i = 0; i < 50; i++) {
        await limiter.check([{ kind: "user", id: "ana" }, { kind: "ip", id: "one-ip" }]);
        if (i % 4 === 0) expect((await checkHealth(db, redis)).body.redis).toBe("disconnected");
      }
      await new Promise((resolve) => setImmediate(resolve)); // warnings are emitted on the next tick
      expect(listenerCounts(redis)).toEqual(before);
      expect(warnings).toEqual([]);
    } finally {
      process.off("warning", onWarning);
    }
  });

  it.runIf(process.env.REDIS_URL)("keeps the outage's in-process counts when Redis comes back empty: 25 then 30 attempts at 30/min let 5 more through", async () => {
    const dead = deadRedis();
    const real = new Redis(process.env.REDIS_URL!, { enableOfflineQueue: true });
    clients.push(dead, real);
    await real.ping();
    const { redis, switchTo } = switchable(upstashCompatibleRedis(dead));
    const limiter = createRateLimiter({ redis, backend: "redis", perMinute: limits({ ip: 30 }), prefix: unique(), timeoutMs: 1000 });
    unfreeze = freezeDateMidMinute();
    const logs = captureLogs();
    const before = await fallbacks();
    try {
      const attempt = async () => (await limiter.check([{ kind: "ip", id: "one-client" }])).limited === false;
      const during: boolean[] = [];
      for (let i = 0; i < 25; i++) during.push(await attempt());
      switchTo(upstashCompatibleRedis(real)); // back, and it holds no count of this client
      const after: boolean[] = [];
      for (let i = 0; i < 30; i++) after.push(await attempt());
      expect(during.filter(Boolean)).toHaveLength(25);
      expect(after.filter(Boolean)).toHaveLength(5);
      expect(await limiter.check([{ kind: "ip", id: "someone-else" }])).toEqual({ limited: false }); // Redis alone decides for them
    } finally {
      logs.stop();
    }
    expect((await fallbacks()).error - before.error).toBe(25);
    const messages = logs.lines.map((line) => (JSON.parse(line) as { msg: string }).msg).filter((msg) => msg.startsWith("rate limits"));
    expect(messages).toEqual(["rate limits counted in-process: Redis did not answer", "rate limits back on Redis"]);
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
