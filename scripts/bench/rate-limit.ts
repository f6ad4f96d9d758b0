/**
 * Load on the rate limiter against a real Redis (docs/benchmarks.md, "Rate limiter under load"):
 * rounds of concurrent checks of two keys each (a shopper and an ip, as the promo redeem sends),
 * counting the checks Redis did not answer in time (decided in-process instead: `fallbacks`, from
 * rate_limit_fallbacks_total) and the checks that took at least the timeout.
 *
 *   REDIS_URL=redis://127.0.0.1:6379 npx tsx scripts/bench/rate-limit.ts [--concurrency 150] [--rounds 40] [--block-ms 0]
 *
 * `--block-ms N` blocks the event loop for N ms in every round (a busy request handler beside the
 * limiter), which is what a server at ~120 requests/s on two cores does now and then.
 */
import { randomUUID } from "node:crypto";
import { parseArgs } from "node:util";
import Redis from "ioredis";
import { upstashCompatibleRedis } from "@/lib/rate-limit/ioredis-adapter";
import { createRateLimiter } from "@/lib/rate-limit/rate-limiter";
import { metrics } from "@/lib/metrics/registry";

const { values } = parseArgs({
  options: {
    concurrency: { type: "string", default: "150" },
    rounds: { type: "string", default: "40" },
    "block-ms": { type: "string", default: "0" },
    "timeout-ms": { type: "string", default: "250" },
  },
});
const concurrency = Number(values.concurrency);
const rounds = Number(values.rounds);
const blockMs = Number(values["block-ms"]);
const timeoutMs = Number(values["timeout-ms"]);

const url = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
// The options lib/redis.ts uses.
const redis = new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1, connectTimeout: 1000 });
redis.on("error", () => {});
await new Promise((resolve) => redis.once("ready", resolve));

const prefix = `coupons:rl:bench:${randomUUID()}`;
let commands = 0;
const counted = new Proxy(redis, {
  get(target, property, receiver) {
    const value = Reflect.get(target, property, receiver);
    if (typeof value !== "function") return value;
    return (...args: unknown[]) => {
      commands++;
      return (value as (...a: unknown[]) => unknown).apply(target, args);
    };
  },
});
const limiter = createRateLimiter({
  redis: upstashCompatibleRedis(counted),
  backend: "redis",
  perMinute: { user: 1_000_000, ip: 1_000_000, apiKey: 1_000_000 },
  prefix,
  timeoutMs,
});

const fallbackCounts = async () =>
  Object.fromEntries((await metrics().rateLimitFallbacks.get()).values.map((sample) => [String(sample.labels.reason), sample.value]));
// One unmeasured round first: the library's scripts reach Redis (EVAL) on the first calls only.
await Promise.all(Array.from({ length: concurrency }, (_, i) => limiter.check([{ kind: "user", id: `warm-${i}` }, { kind: "ip", id: `ip-${i % 20}` }])));
const fallbacksBefore = await fallbackCounts();
commands = 0;

const latencies: number[] = [];
let slow = 0;
const started = performance.now();
for (let round = 0; round < rounds; round++) {
  const checks = Array.from({ length: concurrency }, async (_, i) => {
    const t0 = performance.now();
    await limiter.check([
      { kind: "user", id: `user-${round}-${i}` },
      { kind: "ip", id: `ip-${i % 20}` },
    ]);
    const ms = performance.now() - t0;
    latencies.push(ms);
    if (ms >= timeoutMs) slow++;
  });
  if (blockMs > 0) {
    const until = performance.now() + blockMs;
    while (performance.now() < until); // a synchronous stretch, as a busy handler makes
  }
  await Promise.all(checks);
}
const seconds = (performance.now() - started) / 1000;
latencies.sort((a, b) => a - b);
const pct = (p: number) => (latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? 0).toFixed(1);
const fallbacksAfter = await fallbackCounts();
const fallbacks = Object.fromEntries(Object.entries(fallbacksAfter).map(([reason, value]) => [reason, value - (fallbacksBefore[reason] ?? 0)]));
console.log(
  JSON.stringify({
    checks: latencies.length,
    concurrency,
    rounds,
    blockMs,
    timeoutMs,
    seconds: Number(seconds.toFixed(2)),
    checksPerSecond: Math.round(latencies.length / seconds),
    atOrOverTimeout: slow,
    fallbacks,
    redisCommandsPerCheck: Number((commands / latencies.length).toFixed(2)),
    p50: pct(50),
    p95: pct(95),
    p99: pct(99),
  }),
);
const keys = await redis.keys(`${prefix}:*`);
for (let i = 0; i < keys.length; i += 500) await redis.del(...keys.slice(i, i + 500));
redis.disconnect();
