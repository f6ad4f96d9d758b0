import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { execFileSync } from "node:child_process";
import type { Answer } from "../load";
import { body, inParallel, notSuccess, PeerClient, signJwt, uuid, type AssignedCode, type PeerDefinition, type Verdict } from "./peer";

/**
 * cucchi10/CouponManager: NestJS 11 + TypeORM 0.3 + ioredis, yarn.lock. Routes under /api; books and
 * codes behind an API key (X-API-KEY), random assignment too; lock, redeem and specific assignment
 * behind a bearer JWT whose `sub` is the user (its /api/auth/login is a mock that only signs `demo`,
 * so the harness signs tokens with the server's JWT_SECRET, one per user). A random assignment is
 * `ORDER BY RANDOM() LIMIT 1 FOR UPDATE SKIP LOCKED` over the book; a redeem holds a Redis dedup key
 * and a Redis lock per (code, user), then `FOR UPDATE NOWAIT` and a version check in PostgreSQL.
 */

const COMMIT = "265b54fa04a885105bbbde95e8dc9de48d6698d9";
const GENERATE_PER_CALL = 100_000;
const UPLOAD_PER_CALL = 10_000;
const YARN = "yarn@1.22.22";

/** Secrets of this process's peer: the harness needs them to call it. */
const secrets = { apiKey: randomBytes(18).toString("hex"), jwt: randomBytes(24).toString("hex"), monitoring: randomBytes(18).toString("hex") };

const tokens = new Map<string, string>();
/** A bearer token for `userId`, signed as the peer's own JwtService would (HS256, sub + jti, 1 h). */
function bearer(userId: string) {
  let token = tokens.get(userId);
  if (!token) {
    const now = Math.floor(Date.now() / 1000);
    token = signJwt(secrets.jwt, { sub: userId, jti: `${now}-${uuid()}`, iat: now, exp: now + 3600 });
    tokens.set(userId, token);
  }
  return { authorization: `Bearer ${token}` };
}

interface Envelope<T> {
  data?: T;
}

async function book(client: PeerClient, name: string, extra: Record<string, unknown>) {
  const day = 86_400_000;
  const created = await client.json<Envelope<{ id: string }>>("POST", "/api/coupon-books", {
    name,
    validFrom: new Date(Date.now() - day).toISOString(),
    validUntil: new Date(Date.now() + 30 * day).toISOString(),
    // Seed 003's defaults: one code per user, single use. Its books are active from creation.
    maxAssignmentsPerUser: 1,
    maxRedemptionsPerUser: 1,
    ...extra,
  });
  return created.data!.id;
}

async function generatedBook(client: PeerClient, name: string, count: number, prefix: string) {
  const bookId = await book(client, name, { codePattern: `${prefix}{XXXXXXXXXX}`, maxCodes: count });
  for (let done = 0; done < count; ) {
    const result = await client.json<Envelope<{ uploadedCount: number }>>("POST", `/api/coupon-books/${bookId}/codes/generate`, {
      count: Math.min(GENERATE_PER_CALL, count - done),
    });
    done += result.data!.uploadedCount;
  }
  return bookId;
}

/** Known codes, uploaded then assigned one per user through POST /api/coupons/assign/:code (the user is the token's). */
async function assignedCodes(client: PeerClient, name: string, count: number, prefix: string): Promise<AssignedCode[]> {
  const bookId = await book(client, name, {});
  const codes = Array.from({ length: count }, (_, i) => `${prefix}${i.toString(36).toUpperCase().padStart(5, "0")}`);
  for (let from = 0; from < codes.length; from += UPLOAD_PER_CALL) {
    await client.json("POST", `/api/coupon-books/${bookId}/codes`, { codes: codes.slice(from, from + UPLOAD_PER_CALL) });
  }
  return inParallel(count, 8, async (i) => {
    const userId = `u-${uuid()}`;
    await client.json("POST", `/api/coupons/assign/${codes[i]}`, undefined, bearer(userId));
    return { code: codes[i]!, userId };
  });
}

/** yarn.lock points at registry.yarnpkg.com: the same tarballs (and integrity hashes) from npm's configured registry. */
function lockfileOnNpmRegistry(dir: string) {
  const registry = execFileSync("npm", ["config", "get", "registry"], { encoding: "utf8" }).trim().replace(/\/$/, "");
  const file = path.join(dir, "yarn.lock");
  fs.writeFileSync(file, fs.readFileSync(file, "utf8").replaceAll("https://registry.yarnpkg.com", registry));
  return registry;
}

export const nest: PeerDefinition = {
  name: "nest",
  label: "NestJS/TypeORM (cucchi10/CouponManager)",
  repo: "cucchi10/CouponManager",
  commit: COMMIT,
  install: (dir) => {
    const registry = fs.existsSync(path.join(dir, "yarn.lock")) ? lockfileOnNpmRegistry(dir) : "https://registry.npmjs.org";
    return [
      {
        command: "npx",
        args: ["--yes", YARN, "install", "--frozen-lockfile", "--ignore-scripts", "--non-interactive", "--no-progress", "--registry", registry],
      },
      { command: "node_modules/.bin/nest", args: ["build"] },
    ];
  },
  entry: "dist/main.js",
  // ConfigModule.forRoot({ validatePredefined: false }) validates only the .env file: without one it refuses to start.
  envFile: ".env",
  env: ({ port, database, redis, runTag }) => ({
    NODE_ENV: "production",
    // The only scope that reads its secrets from the environment; staging and production read
    // Google Secret Manager. It also turns on TypeORM synchronize and TypeORM's query logging.
    SCOPE: "development",
    PORT: String(port),
    LOG_LEVEL: "warn",
    JWT_TTL_SEC: "3600",
    JWT_SECRET: secrets.jwt,
    CACHE_HOST: redis.host,
    CACHE_PORT: String(redis.port),
    ...(redis.password ? { CACHE_PASSWORD: redis.password } : {}),
    // Namespaced per run: the Redis server is shared with our server and other runs.
    CACHE_NAMESPACE_DEDUP: `bench-nest-${runTag}:dedup`,
    CACHE_NAMESPACE_JWT_BLACKLIST: `bench-nest-${runTag}:jwt:blacklist`,
    CACHE_NAMESPACE_JWT_ACTIVE: `bench-nest-${runTag}:jwt:active`,
    CACHE_NAMESPACE_CURSOR: `bench-nest-${runTag}:cursor`,
    CACHE_NAMESPACE_LOCKS: `bench-nest-${runTag}:locks`,
    CACHE_DEDUP_TTL_SEC: "60",
    CACHE_CURSOR_TTL_SEC: "900",
    PAGINATION_CURSOR_TTL_SEC: "900",
    PAGINATION_MAX_LIMIT: "100",
    SECRET_ALIAS: "latest",
    SECRET_NAME_APP: "unused",
    SECRET_NAME_CACHE: "unused",
    SECRET_NAME_DB: "unused",
    API_KEY: secrets.apiKey,
    TOKEN_COMPARE_SECRET: randomBytes(18).toString("hex"),
    MONITORING_TOKEN: secrets.monitoring,
    DB_HOST: database.host,
    DB_PORT: String(database.port),
    DB_USERNAME: database.user,
    DB_NAME: database.name,
    DB_PASSWORD: database.password,
    TIMEOUT_CACHE_CONNECT_MS: "5000",
    TIMEOUT_CACHE_READ_MS: "3000",
    TIMEOUT_SECRET_MANAGER_CONNECT_MS: "5000",
    TIMEOUT_SECRET_MANAGER_READ_MS: "5000",
    CIRCUIT_BREAKER_THRESHOLD: "5",
    CIRCUIT_BREAKER_WINDOW_MS: "60000",
    CIRCUIT_BREAKER_COOLDOWN_MS: "30000",
    CIRCUIT_BREAKER_HALF_OPEN_REQUESTS: "3",
  }),
  health: (baseUrl) => ({ url: `${baseUrl}/api/client/health`, headers: { "x-monitoring-token": secrets.monitoring } }),
  seed: async (raw, sizes, runTag) => {
    const client = new PeerClient(raw.baseUrl, () => ({ "x-api-key": secrets.apiKey }));
    const tag = runTag.slice(-6).toUpperCase();
    const smallBookId = await generatedBook(client, `bench small ${runTag}`, sizes.smallBookCodes, `NS${tag}`);
    const bigBookId = sizes.bigBookCodes > 0 ? await generatedBook(client, `bench big ${runTag}`, sizes.bigBookCodes, `NB${tag}`) : null;
    const pool = await assignedCodes(client, `bench pool ${runTag}`, sizes.poolSize, `NP${tag}`);
    const hot = await assignedCodes(client, `bench hot ${runTag}`, sizes.hotCodes, `NH${tag}`);
    return { smallBookId, bigBookId, pool, hot };
  },
  resetBookSql: (bookId) => [
    { text: "delete from coupon_assignments a using coupons c where c.id = a.coupon_id and c.coupon_book_id = $1", values: [bookId] },
    { text: "update coupons set status = 'available' where coupon_book_id = $1 and status <> 'available'", values: [bookId] },
  ],
  newUserId: () => `u-${uuid()}`,
  assign: (couponBookId, userId) => ({ method: "POST", path: "/api/coupons/assign/random", headers: { "x-api-key": secrets.apiKey }, body: { couponBookId, userId } }),
  judgeAssign: (answer: Answer): Verdict => {
    if (answer.status !== 200) return notSuccess(answer);
    const code = body<Envelope<{ couponCode?: string }>>(answer)?.data?.couponCode;
    return typeof code === "string" ? { kind: "ok", code } : { kind: "error", why: `200 without a code: ${answer.body.slice(0, 200)}` };
  },
  lock: (item) => ({ method: "POST", path: `/api/coupons/${encodeURIComponent(item.code)}/lock`, headers: bearer(item.userId), body: {} }),
  judgeLock: (answer) => {
    if (answer.status !== 200) return notSuccess(answer);
    return body<Envelope<{ locked?: boolean }>>(answer)?.data?.locked === true ? { kind: "ok" } : { kind: "error", why: answer.body.slice(0, 200) };
  },
  // No orderId in its API: it goes in the free-form metadata the assignment keeps.
  redeem: (item, orderId) => ({ method: "POST", path: `/api/coupons/${encodeURIComponent(item.code)}/redeem`, headers: bearer(item.userId), body: { metadata: { orderId } } }),
  judgeRedeem: (answer) => {
    if (answer.status !== 200) return notSuccess(answer);
    return body<Envelope<{ fullyRedeemed?: boolean }>>(answer)?.data?.fullyRedeemed === true ? { kind: "ok" } : { kind: "error", why: answer.body.slice(0, 200) };
  },
  notes: [
    "runs in SCOPE=development, its only scope without Google Secret Manager: TypeORM synchronize creates the schema and TypeORM logs every query (to a file here)",
    "lock, redeem and specific assignment take the user from a bearer JWT; the harness signs one per user with the server's JWT_SECRET (its login is a mock that signs only `demo`)",
    "no orderId/checkoutId in its API (orderId is sent as redeem metadata); a lock is per code in Redis, with a TTL",
    "listens on every interface (app.listen(port)); the port is a free one",
  ],
};
