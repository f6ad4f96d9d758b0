import { randomBytes } from "node:crypto";
import type { Answer } from "../load";
import { body, inParallel, notSuccess, PeerClient, uuid, type AssignedCode, type PeerDefinition, type Verdict } from "./peer";

/**
 * FrankZappato/qurable-challenge: Express 4 + TypeORM 0.3 + ioredis, no lockfile, no authentication.
 * Routes under /api/v1; book and user ids must be UUIDs; generate and upload take at most 10,000
 * codes per call. A random assignment loads every AVAILABLE code of the book (`find` without a
 * limit) and picks one in JavaScript; lock and redeem read the code's status before their
 * transaction and do not read it again under the row lock.
 */

const COMMIT = "80ab630e2790f2572a4aee3fbe73d17c6acaad35";
/** The commit's date: without a lockfile, npm resolves the ranges of package.json as they stood then. */
const COMMIT_DATE = "2026-02-10T00:26:26Z";
const PER_CALL = 10_000;

interface Book {
  id: string;
}
interface Assignment {
  code?: string;
  userId?: string;
}

async function book(client: PeerClient, name: string) {
  // Seed 003's defaults: one code per user, single use; ACTIVE only through a PATCH.
  const created = await client.json<Book>("POST", "/api/v1/coupon-books", { businessId: uuid(), name, maxCodesPerUser: 1, maxRedeemsPerUser: 1 });
  await client.json("PATCH", `/api/v1/coupon-books/${created.id}`, { status: "ACTIVE" });
  return created.id;
}

async function generate(client: PeerClient, bookId: string, count: number, prefix: string) {
  for (let done = 0; done < count; ) {
    const quantity = Math.min(PER_CALL, count - done);
    const result = await client.json<{ codesGenerated: number }>("POST", "/api/v1/coupon-codes/generate", { bookId, quantity, prefix, length: 10 });
    done += result.codesGenerated;
  }
}

/** Known codes, uploaded then assigned one per user through POST /assignments/:code. */
async function assignedCodes(client: PeerClient, name: string, count: number, prefix: string): Promise<AssignedCode[]> {
  const bookId = await book(client, name);
  const codes = Array.from({ length: count }, (_, i) => `${prefix}${i.toString(36).toUpperCase().padStart(5, "0")}`);
  for (let from = 0; from < codes.length; from += PER_CALL) {
    await client.json("POST", "/api/v1/coupon-codes/upload", { bookId, codes: codes.slice(from, from + PER_CALL) });
  }
  return inParallel(count, 8, async (i) => {
    const userId = uuid();
    await client.json("POST", `/api/v1/assignments/${codes[i]}`, { userId });
    return { code: codes[i]!, userId };
  });
}

export const express: PeerDefinition = {
  name: "express",
  label: "Express/TypeORM (FrankZappato/qurable-challenge)",
  repo: "FrankZappato/qurable-challenge",
  commit: COMMIT,
  install: () => [
    { command: "npm", args: ["install", `--before=${COMMIT_DATE}`, "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error"] },
    { command: "npm", args: ["run", "build"] },
  ],
  entry: "dist/server.js",
  // Its DataSource lists `src/migrations/**/*.ts`, which TypeORM imports at initialize: plain
  // `node dist/server.js` (its npm start) dies on the TypeScript. ts-node's transpile-only hook (a
  // devDependency of the peer) lets those files load; the server itself still runs from dist.
  nodeArgs: ["-r", "ts-node/register/transpile-only"],
  env: ({ port, database, redis, runTag, firstStart, dir }) => ({
      NODE_ENV: "production",
      PORT: String(port),
      DB_HOST: database.host,
      DB_PORT: String(database.port),
      DB_USERNAME: database.user,
      DB_PASSWORD: database.password,
      DB_DATABASE: database.name,
      // z.coerce.boolean(): any non-empty string is true, so false is the empty string.
      DB_SYNCHRONIZE: firstStart ? "true" : "",
      DB_LOGGING: "",
      DB_MAX_CONNECTIONS: "20",
      REDIS_HOST: redis.host,
      REDIS_PORT: String(redis.port),
      REDIS_PASSWORD: redis.password ?? "",
      // Required by its configuration, used by no route.
      JWT_SECRET: randomBytes(24).toString("hex"),
      LOG_LEVEL: "warn",
      LOG_FILE_PATH: `${dir}/logs/bench-${runTag}.log`,
      // Like our server's API-key limit: the limiter runs on every request but never answers 429.
      ENABLE_RATE_LIMITING: "true",
      RATE_LIMIT_MAX_REQUESTS: "100000000",
  }),
  health: (baseUrl) => ({ url: `${baseUrl}/health` }),
  seed: async (client, sizes, runTag) => {
    // Generated codes are <prefix><10 random characters>, the prefix at most 10 characters.
    const tag = runTag.slice(-6).toUpperCase();
    const smallBookId = await book(client, `bench small ${runTag}`);
    await generate(client, smallBookId, sizes.smallBookCodes, `ES${tag}`);
    let bigBookId: string | null = null;
    if (sizes.bigBookCodes > 0) {
      bigBookId = await book(client, `bench big ${runTag}`);
      await generate(client, bigBookId, sizes.bigBookCodes, `EB${tag}`);
    }
    const pool = await assignedCodes(client, `bench pool ${runTag}`, sizes.poolSize, `EP${tag}`);
    const hot = await assignedCodes(client, `bench hot ${runTag}`, sizes.hotCodes, `EH${tag}`);
    return { smallBookId, bigBookId, pool, hot };
  },
  resetBookSql: (bookId) => [
    { text: "delete from coupon_assignments where book_id = $1", values: [bookId] },
    { text: "update coupon_codes set status = 'AVAILABLE' where book_id = $1 and status <> 'AVAILABLE'", values: [bookId] },
  ],
  maxAssignmentBook: {
    codes: 100_000,
    why: "its random assignment loads every AVAILABLE code of the book into TypeORM entities on each request",
  },
  newUserId: uuid,
  assign: (bookId, userId) => ({ method: "POST", path: "/api/v1/assignments/random", body: { bookId, userId } }),
  judgeAssign: (answer: Answer): Verdict => {
    if (answer.status !== 201) return notSuccess(answer);
    const code = body<Assignment>(answer)?.code;
    return typeof code === "string" ? { kind: "ok", code } : { kind: "error", why: `201 without a code: ${answer.body.slice(0, 200)}` };
  },
  lock: (item) => ({ method: "POST", path: `/api/v1/coupons/${encodeURIComponent(item.code)}/lock`, body: { userId: item.userId } }),
  judgeLock: (answer) => {
    if (answer.status !== 200) return notSuccess(answer);
    return body<{ status?: string }>(answer)?.status === "LOCKED" ? { kind: "ok" } : { kind: "error", why: answer.body.slice(0, 200) };
  },
  // The schema takes no orderId: it goes in the free-form metadata the audit row keeps.
  redeem: (item, orderId) => ({ method: "POST", path: `/api/v1/coupons/${encodeURIComponent(item.code)}/redeem`, body: { userId: item.userId, metadata: { orderId } } }),
  judgeRedeem: (answer) => {
    if (answer.status !== 200) return notSuccess(answer);
    const redeemed = body<{ status?: string; isFinalRedeem?: boolean }>(answer);
    return redeemed?.status === "REDEEMED" && redeemed.isFinalRedeem === true ? { kind: "ok" } : { kind: "error", why: answer.body.slice(0, 200) };
  },
  notes: [
    "no authentication on any route (seed 003 has API keys)",
    "user ids must be UUIDs; orderId/checkoutId are not part of its API (orderId is sent as redeem metadata)",
    "schema by TypeORM synchronize on the first start (its migrations are .ts files the built server cannot load); DB_LOGGING off, LOG_LEVEL=warn",
    "express-rate-limit kept on with its limit raised, as our API-key limit is",
    "listens on every interface (app.listen(port)); the port is a free one",
  ],
};
