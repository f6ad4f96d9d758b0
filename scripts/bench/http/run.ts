import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { sql } from "drizzle-orm";
import postgres from "postgres";
import { createDb, type Db } from "@/db/client";
import { postgresConnection } from "@/db/connection-url";
import { migrateDatabase } from "@/db/migrate";
import { logger } from "@/lib/log";
import { apiClient, apiRequest } from "@/testing/api/client";
import { ensureDatabase } from "../../embedded-postgres";
import { productionBuild, startServer, type BenchServer } from "../render";
import { internalWorkloads } from "./internal";
import { runPhase } from "./load";
import { opsReadWorkloads } from "./ops-reads";
import { pgbenchAvailable, runPgbench, type PgbenchResult } from "./pgbench";
import { peerCells, peerHeader, preparePeers, selectPeers, startPeers, summarizePeers, type PeerFigures, type PeerRun, type PeerSummary } from "./peers";
import type { PeerDefinition } from "./peers/peer";
import { postgresCpuSeconds } from "./proc";
import { resetAssignmentBook, seed, type Seeded } from "./seed";
import { cpuNow, expectStatus, httpFigures, LOCK_REDEEM_CONCURRENCY, type HttpFigures, type Workload } from "./workload";

/**
 * `npm run bench:http [-- --quick] [-- --skip-build] [-- --rounds N] [-- --database NAME]`: the
 * production build under load (issue 15's measurement harness). Builds when .next/standalone is
 * missing (unless --skip-build), starts it on a fresh database (dropped and created, migrated,
 * seeded through the services) with Redis on, and runs interleaved rounds: each workload over HTTP
 * from the in-process keep-alive generator (./load.ts), then pgbench with the committed scripts of
 * bench/sql/ at the same client count: (a) the statements the route runs, (b) the minimal correct
 * transaction for the same effect. Prints a markdown table and writes bench/results/http-<ts>.json.
 */

interface Options {
  quick: boolean;
  skipBuild: boolean;
  /** `log_statement = 'all'` on the bench database before the server connects: how bench/sql/*-exact.sql were captured. */
  logStatements: boolean;
  rounds: number;
  database: string;
  /** `--peers [nest,express]`: the public peers measured after our server in each workload (./peers). */
  peers: PeerDefinition[] | null;
  /** `--prepare-peers`: fetch, install and build the peers first (downloads). */
  preparePeers: boolean;
}

function parseArgs(argv: string[]): Options {
  const value = (name: string) => {
    const at = argv.indexOf(name);
    return at >= 0 ? argv[at + 1] : undefined;
  };
  const quick = argv.includes("--quick");
  const database = value("--database") ?? "coupons_bench_http";
  // The harness drops this database: refuse a name that does not say it is a bench's.
  if (!/bench/.test(database)) throw new Error(`--database ${database}: the harness drops and recreates it, so its name must contain "bench"`);
  return {
    quick,
    skipBuild: argv.includes("--skip-build"),
    logStatements: argv.includes("--log-statements"),
    rounds: Number(value("--rounds") ?? (quick ? 1 : 3)),
    database,
    peers: selectPeers(argv),
    preparePeers: argv.includes("--prepare-peers"),
  };
}

/**
 * The sizes of a run: --quick keeps every workload but smaller, to smoke-check the harness in 2–3
 * minutes. `warm` is what every system (ours and each peer) gets before round 1, the same for all,
 * unrecorded: a server keeps getting faster for its first thousand or so requests per route
 * (the JIT), and a round measured on a cold server says more about the JIT than about the path.
 */
function sizes(quick: boolean) {
  return quick
    ? { assignRequests: 160, pairs: 48, bigBookCodes: 100_000, timeoutMs: 30_000, hotParallel: 200, internal: { requests: 160, quotes: 160 }, dashboardAttempts: 100_000, opsReads: { dashboards: 10, scrapes: 40 }, warm: { assignRequests: 40, pairs: 16 } }
    : { assignRequests: 1_000, pairs: 400, bigBookCodes: 1_000_000, timeoutMs: 120_000, hotParallel: 200, internal: { requests: 1_000, quotes: 1_000 }, dashboardAttempts: 1_000_000, opsReads: { dashboards: 40, scrapes: 200 }, warm: { assignRequests: 800, pairs: 600 } };
}

type Sizes = ReturnType<typeof sizes>;

/** Our share of the warm-up's lock+redeem pairs at each concurrency (a peer runs them all at c=8). */
const warmPairsPerConcurrency = (size: Sizes) => Math.ceil(size.warm.pairs / LOCK_REDEEM_CONCURRENCY.length);

function ensureBuild(skipBuild: boolean) {
  const standalone = path.join(process.cwd(), ".next", "standalone", "server.js");
  if (fs.existsSync(standalone)) return;
  if (skipBuild) throw new Error("--skip-build, but there is no production build (.next/standalone/server.js)");
  // Turbopack cannot build through a symlinked node_modules (git worktrees here): webpack can.
  const webpack = fs.lstatSync(path.join(process.cwd(), "node_modules")).isSymbolicLink() ? ["--webpack"] : [];
  console.log(`building: next build ${webpack.join(" ")}`);
  const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1" };
  for (const [command, args] of [
    ["npx", ["next", "build", ...webpack]],
    ["npx", ["tsx", "scripts/postbuild.ts"]],
  ] as const) {
    const result = spawnSync(command, [...args], { stdio: "inherit", env });
    if (result.status !== 0) throw new Error(`${command} ${args.join(" ")} failed (${result.status})`);
  }
}

/** A fresh database of `name` on the server of DATABASE_URL (or the embedded one): dropped, created, migrated. */
export async function freshDatabase(name: string) {
  const server = await ensureDatabase(name);
  const url = new URL(server.url);
  const admin = new URL(url);
  admin.pathname = "/postgres";
  const connection = postgresConnection(admin.toString());
  const sqlAdmin = postgres(connection.url, { ...connection.options, max: 1, onnotice: () => {} });
  try {
    await sqlAdmin.unsafe(`drop database if exists "${name}" with (force)`);
    await sqlAdmin.unsafe(`create database "${name}"`);
  } finally {
    await sqlAdmin.end({ timeout: 5 });
  }
  url.pathname = `/${name}`;
  await migrateDatabase(url.toString());
  return { url: url.toString(), stop: server.stop };
}

interface SqlFigures extends PgbenchResult {
  postgresCpuMsPerTx: number | null;
}

interface RoundFigures {
  round: number;
  http: HttpFigures;
  exact?: SqlFigures;
  minimal?: SqlFigures;
  peers?: Record<string, PeerFigures>;
}

const auth = (seeded: Seeded) => ({ authorization: `Bearer ${seeded.apiKey}` });

function workloads(db: Db, server: BenchServer, databaseUrl: string, seeded: Seeded, size: Sizes, runTag: string): Workload[] {
  const list: Workload[] = [];
  const bigLabel = seeded.bigBookCodes >= 1_000_000 ? `${seeded.bigBookCodes / 1_000_000}M` : `${seeded.bigBookCodes / 1000}k`;
  for (const [bookId, bookLabel] of [
    [seeded.smallBookId, "5k"],
    [seeded.bigBookId, bigLabel],
  ] as const) {
    for (const concurrency of [8, 32]) {
      const id = `assign-${bookLabel}-c${concurrency}`;
      list.push({
        id,
        label: `random assignment, ${bookLabel}-code book, c=${concurrency}`,
        concurrency,
        unit: "req/s",
        http: async (round) => {
          const before = cpuNow(server.pid);
          const result = await runPhase(
            server.baseUrl,
            { total: size.assignRequests, concurrency, timeoutMs: size.timeoutMs },
            (n) => [apiRequest("post", "/api/assignments/random", { headers: auth(seeded), body: { couponBookId: bookId, userId: `h-${runTag}-${id}-${round}-${n}` } })],
            (_n, _step, answer) => expectStatus(201, answer),
          );
          return httpFigures(result, before, cpuNow(server.pid), 1);
        },
        sql: {
          exact: "assign-exact.sql",
          minimal: "assign-minimal.sql",
          run: async (script, round, which) => {
            const result = await runPgbench(databaseUrl, script, {
              clients: concurrency,
              perClient: Math.ceil(size.assignRequests / concurrency),
              variables: { book_id: bookId, business_id: seeded.businessId, key_prefix: seeded.apiKey.split("_")[1]!, run: `${runTag}-${id}-${round}-${which}` },
            });
            // A script that ran but assigned nothing must not pass for throughput (the book is reset after each phase).
            const [done] = (await db.execute<{ n: number }>(sql`select count(*)::int as n from coupon_assignments where book_id = ${bookId}`)) as unknown as [{ n: number }];
            if (done.n < result.transactions * 0.99) throw new Error(`pgbench ${script}: ${result.transactions} transactions but ${done.n} assignments`);
            return result;
          },
        },
        after: () => resetAssignmentBook(db, bookId),
      });
    }
  }

  // Lock then redeem over distinct codes: each round takes three disjoint slices of the pool (HTTP, exact, minimal).
  let poolNext = 0;
  const take = (count: number) => {
    const from = poolNext;
    poolNext += count;
    if (poolNext > seeded.poolSize) throw new Error("the lock+redeem pool is used up");
    return from;
  };
  const pool = new Map<number, { code: string; userId: string }>();
  const loadPool = async () => {
    if (pool.size > 0) return;
    const rows = (await db.execute<{ idx: number; code: string; user_id: string }>(sql`select idx, code, user_id from bench_http_pool`)) as unknown as {
      idx: number;
      code: string;
      user_id: string;
    }[];
    for (const row of rows) pool.set(row.idx, { code: row.code, userId: row.user_id });
  };
  const lockRedeem = async (pairs: number, tag: string, concurrency = 8) => {
    await loadPool();
    const from = take(pairs);
    const before = cpuNow(server.pid);
    const result = await runPhase(
      server.baseUrl,
      { total: pairs, concurrency, timeoutMs: size.timeoutMs },
      (n) => {
        const { code, userId } = pool.get(from + n)!;
        const checkoutId = `co-${runTag}-${tag}-${n}`;
        return [
          apiRequest("post", "/api/coupons/{code}/lock", { path: { code }, headers: auth(seeded), body: { userId, checkoutId } }),
          apiRequest("post", "/api/coupons/{code}/redeem", { path: { code }, headers: auth(seeded), body: { userId, checkoutId, orderId: `o-${checkoutId}` } }),
        ];
      },
      (_n, step, answer) => {
        expectStatus(200, answer);
        const status = (JSON.parse(answer.body) as { status: string }).status;
        if (status !== (step === 0 ? "LOCKED" : "REDEEMED")) throw new Error(`step ${step}: status ${status}`);
      },
    );
    return httpFigures(result, before, cpuNow(server.pid), 2);
  };
  for (const concurrency of LOCK_REDEEM_CONCURRENCY) {
    list.push({
      id: `lock-redeem-c${concurrency}`,
      label: `lock then redeem, distinct codes, c=${concurrency}`,
      concurrency,
      unit: "pairs/s",
      stepNames: ["lock", "redeem"],
      http: (round) => lockRedeem(size.pairs, `${round}-c${concurrency}`, concurrency),
      warm: async () => {
        await lockRedeem(warmPairsPerConcurrency(size), `warm-c${concurrency}`, concurrency);
      },
      sql: {
        exact: "lock-redeem-exact.sql",
        minimal: "lock-redeem-minimal.sql",
        run: async (script, round, which) => {
          const perClient = Math.ceil(size.pairs / concurrency);
          const base = take(perClient * concurrency);
          const result = await runPgbench(databaseUrl, script, {
            clients: concurrency,
            perClient,
            variables: { base, per_client: perClient, n: 0, business_id: seeded.businessId, book_id: seeded.poolBookId, key_prefix: seeded.apiKey.split("_")[1]!, run: `${runTag}-${round}-c${concurrency}-${which}` },
          });
          // Every pair must have redeemed its code, with its reservation applied.
          const [done] = (await db.execute<{ redeemed: number; applied: number }>(sql`
            select count(*) filter (where a.status = 'REDEEMED')::int as redeemed,
                   (select count(*)::int from redemptions r join bench_http_pool q on q.assignment_id = r.assignment_id
                     where q.idx >= ${base} and q.idx < ${base + perClient * concurrency} and r.status = 'PR_APPLIED') as applied
            from bench_http_pool p join coupon_assignments a on a.id = p.assignment_id
            where p.idx >= ${base} and p.idx < ${base + perClient * concurrency}`)) as unknown as [{ redeemed: number; applied: number }];
          if (done.redeemed !== result.transactions || done.applied !== result.transactions) {
            throw new Error(`pgbench ${script}: ${result.transactions} pairs but ${done.redeemed} codes redeemed and ${done.applied} reservations applied`);
          }
          return result;
        },
      },
    });
  }

  list.push({
    id: "hot-code-200",
    label: `hot single-use code, ${size.hotParallel} parallel redeems`,
    concurrency: size.hotParallel,
    unit: "req/s",
    http: async (round) => {
      const hot = seeded.hotCodes[round]!;
      let successes = 0;
      const before = cpuNow(server.pid);
      const result = await runPhase(
        server.baseUrl,
        { total: size.hotParallel, concurrency: size.hotParallel, timeoutMs: size.timeoutMs },
        (n) => [
          apiRequest("post", "/api/coupons/{code}/redeem", { path: { code: hot.code }, headers: auth(seeded), body: { userId: hot.userId, orderId: `hot-${runTag}-${round}-${n}` } }),
        ],
        (_n, _step, answer) => {
          if (answer.status === 200) successes++;
          else if (answer.status >= 500 || answer.status < 400) throw new Error(`status ${answer.status}: ${answer.body.slice(0, 300)}`);
        },
      );
      if (successes !== 1) throw new Error(`hot code: ${successes} successes among ${size.hotParallel} redeems (expected exactly 1)`);
      return { ...httpFigures(result, before, cpuNow(server.pid), 1), successes };
    },
  });
  return list;
}

const ms = (x: number | null | undefined) => (x === null || x === undefined || Number.isNaN(x) ? "–" : x >= 100 ? x.toFixed(0) : x.toFixed(1));
const median = (xs: number[]) => {
  const sorted = [...xs].sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const middle = sorted.length / 2;
  return Number.isInteger(middle) ? (sorted[middle - 1]! + sorted[middle]!) / 2 : sorted[Math.floor(middle)]!;
};

interface Summary {
  id: string;
  label: string;
  unit: string;
  rate: number;
  p50: number;
  p99: number;
  steps?: { p50: number; p99: number }[];
  stepNames?: string[];
  serverCpuMsPerRequest: number | null;
  postgresCpuMsPerRequest: number | null;
  exactTps?: number;
  minimalTps?: number;
  ratioExact?: number;
  ratioMinimal?: number;
  postgresCpuMsPerExactTx?: number | null;
  postgresCpuMsPerMinimalTx?: number | null;
  peers?: Record<string, PeerSummary>;
}

/** Medians over the rounds; each ratio is the median of the ratios taken within one round. */
function summarize(workload: Workload, rounds: RoundFigures[]): Summary {
  const nullableMedian = (xs: (number | null)[]) => (xs.some((x) => x === null) ? null : median(xs as number[]));
  const withSql = rounds.filter((r) => r.exact && r.minimal);
  const steps = rounds[0]?.http.steps;
  return {
    id: workload.id,
    label: workload.label,
    unit: workload.unit,
    rate: median(rounds.map((r) => r.http.rate)),
    p50: median(rounds.map((r) => r.http.p50)),
    p99: median(rounds.map((r) => r.http.p99)),
    ...(steps ? { steps: steps.map((_, i) => ({ p50: median(rounds.map((r) => r.http.steps![i]!.p50)), p99: median(rounds.map((r) => r.http.steps![i]!.p99)) })), stepNames: workload.stepNames } : {}),
    serverCpuMsPerRequest: nullableMedian(rounds.map((r) => r.http.serverCpuMsPerRequest)),
    postgresCpuMsPerRequest: nullableMedian(rounds.map((r) => r.http.postgresCpuMsPerRequest)),
    ...(withSql.length > 0
      ? {
          exactTps: median(withSql.map((r) => r.exact!.tps)),
          minimalTps: median(withSql.map((r) => r.minimal!.tps)),
          ratioExact: median(withSql.map((r) => r.http.rate / r.exact!.tps)),
          ratioMinimal: median(withSql.map((r) => r.http.rate / r.minimal!.tps)),
          postgresCpuMsPerExactTx: nullableMedian(withSql.map((r) => r.exact!.postgresCpuMsPerTx)),
          postgresCpuMsPerMinimalTx: nullableMedian(withSql.map((r) => r.minimal!.postgresCpuMsPerTx)),
        }
      : {}),
    ...(rounds.some((r) => r.peers) ? { peers: summarizePeers(rounds) } : {}),
  };
}

function printTable(summaries: Summary[], peers: { name: string; label: string }[] = []) {
  const pct = (x: number | undefined) => (x === undefined ? "–" : `${(x * 100).toFixed(0)} %`);
  const peerColumns = peerHeader(peers);
  console.log(`| workload | HTTP | p50 / p99 ms | server CPU ms/req | PostgreSQL CPU ms/req | (a) same statements, pgbench | (b) minimal SQL, pgbench | HTTP ÷ (a) | HTTP ÷ (b) |${peerColumns.header}`);
  console.log(`| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |${peerColumns.rule}`);
  for (const s of summaries) {
    const latency = s.steps
      ? `${ms(s.p50)} / ${ms(s.p99)} (${s.steps.map((step, i) => `${s.stepNames?.[i] ?? `step ${i + 1}`} ${ms(step.p50)} / ${ms(step.p99)}`).join(", ")})`
      : `${ms(s.p50)} / ${ms(s.p99)}`;
    const tps = (x: number | undefined, cpu: number | null | undefined) => (x === undefined ? "–" : `${x.toFixed(0)} tx/s${cpu != null ? ` (PG ${ms(cpu)} ms/tx)` : ""}`);
    console.log(
      `| ${s.label} | ${s.rate.toFixed(0)} ${s.unit} | ${latency} | ${ms(s.serverCpuMsPerRequest)} | ${ms(s.postgresCpuMsPerRequest)} | ${tps(s.exactTps, s.postgresCpuMsPerExactTx)} | ${tps(s.minimalTps, s.postgresCpuMsPerMinimalTx)} | ${pct(s.ratioExact)} | ${pct(s.ratioMinimal)} |${peerCells(peers, s.unit, s.peers)}`,
    );
  }
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  if (options.preparePeers) preparePeers(options.peers ?? selectPeers(["--peers"])!);
  const size = sizes(options.quick);
  if (!pgbenchAvailable()) console.warn("pgbench not found (/usr/bin/pgbench, or PGBENCH=): the SQL columns stay empty");
  ensureBuild(options.skipBuild);
  const build = productionBuild()!;
  logger.level = "warn";
  const startedAt = new Date();
  const runTag = startedAt.getTime().toString(36);
  const database = await freshDatabase(options.database);
  const { db, client } = createDb(database.url, { max: 8 });
  let server: BenchServer | undefined;
  let peerRun: PeerRun | undefined;
  try {
    const [{ version }] = (await db.execute<{ version: string }>(sql`select version() as version`)) as unknown as [{ version: string }];
    const machine = {
      node: process.version,
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model ?? "",
      memoryGiB: Number((os.totalmem() / 2 ** 30).toFixed(1)),
      loadAverageAtStart: os.loadavg(),
      postgres: version,
      build: build.builtAt.toISOString(),
    };
    console.log(`node ${machine.node}, ${machine.cpus} CPUs (${machine.cpuModel}), load average ${machine.loadAverageAtStart.map((l) => l.toFixed(2)).join(" ")}`);
    console.log(version);
    // Each round's three disjoint slices (HTTP, exact, minimal) at each concurrency, and the warm-up's.
    const poolSize = LOCK_REDEEM_CONCURRENCY.reduce((sum, c) => sum + options.rounds * 3 * Math.ceil(size.pairs / c) * c + warmPairsPerConcurrency(size), 0);
    const seeded = await seed(db, { runTag, bigBookCodes: size.bigBookCodes, poolSize, rounds: options.rounds + 1, dashboardAttempts: size.dashboardAttempts });

    if (options.logStatements) {
      await db.execute(sql.raw(`alter database "${options.database}" set log_statement = 'all'`));
      console.log(`log_statement = 'all' on ${options.database}: the server's statements go to PostgreSQL's log`);
    }
    const redisUrl = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
    server = await startServer(database.url, {
      REDIS_URL: redisUrl,
      // The API key's own limit (6,000/min by default) would cut every phase short: the limiter still runs, on Redis.
      RATE_LIMIT_API_KEY_PER_MINUTE: "100000000",
      LOG_LEVEL: "warn",
      INTERNAL_API_TOKEN: seeded.internalToken,
      METRICS_TOKEN: seeded.metricsToken,
    });
    const { data, error } = await apiClient(server.baseUrl, null).GET("/api/health");
    const health = data ?? error;
    if (health.redis !== "connected") throw new Error(`Redis is not connected (${health.redis}): start it or set REDIS_URL`);
    console.log(`server pid ${server.pid}, ${server.baseUrl}, redis ${health.redis}`);

    const context = { db, databaseUrl: database.url, baseUrl: server.baseUrl, serverPid: server.pid, seeded, runTag, timeoutMs: size.timeoutMs };
    const list = [...workloads(db, server, database.url, seeded, size, runTag), ...internalWorkloads(context, size.internal), ...opsReadWorkloads(context, size.opsReads)];
    // Warm-up (JIT, pools, plan caches), not recorded: the warm-up's assignments split over the
    // assignment workloads, on the small book; then each workload's own.
    const assignWorkloads = list.filter((w) => w.id.startsWith("assign-"));
    for (const w of assignWorkloads) {
      await runPhase(
        server.baseUrl,
        { total: Math.ceil(size.warm.assignRequests / assignWorkloads.length), concurrency: w.concurrency, timeoutMs: 30_000 },
        (n) => [apiRequest("post", "/api/assignments/random", { headers: auth(seeded), body: { couponBookId: seeded.smallBookId, userId: `warm-${runTag}-${w.id}-${n}` } })],
        (_n, _step, answer) => expectStatus(201, answer),
      );
    }
    await resetAssignmentBook(db, seeded.smallBookId);
    for (const w of list) await w.warm?.();
    if (options.peers) {
      peerRun = await startPeers(options.peers, { benchUrl: database.url, benchDatabase: options.database, runTag, size: { ...size, rounds: options.rounds } });
      await peerRun.warm();
    }

    const results = new Map<string, RoundFigures[]>(list.map((w) => [w.id, []]));
    for (let round = 0; round < options.rounds; round++) {
      console.log(`round ${round + 1} of ${options.rounds}`);
      for (const workload of list) {
        const figures: RoundFigures = { round, http: undefined as unknown as HttpFigures };
        // Interleaved: HTTP first in even rounds, pgbench first in odd ones.
        const steps: (() => Promise<void>)[] = [
          async () => {
            figures.http = await workload.http(round);
            await workload.after?.();
          },
        ];
        if (workload.sql && pgbenchAvailable()) {
          for (const which of ["exact", "minimal"] as const) {
            steps.push(async () => {
              const before = postgresCpuSeconds();
              const result = await workload.sql!.run(workload.sql![which], round, which);
              const after = postgresCpuSeconds();
              figures[which] = { ...result, postgresCpuMsPerTx: before === null || after === null ? null : ((after - before) * 1000) / result.transactions };
              await workload.after?.();
            });
          }
        }
        if (round % 2 === 1) steps.reverse();
        for (const step of steps) await step();
        // The peers after ours, one at a time, each while the others are idle.
        if (peerRun) figures.peers = await peerRun.measure(workload.id, round);
        results.get(workload.id)!.push(figures);
        const exact = figures.exact ? `, (a) ${figures.exact.tps.toFixed(0)} tx/s` : "";
        const minimal = figures.minimal ? `, (b) ${figures.minimal.tps.toFixed(0)} tx/s` : "";
        console.log(`  ${workload.label}: ${figures.http.rate.toFixed(0)} ${workload.unit}, p50 ${ms(figures.http.p50)} ms, p99 ${ms(figures.http.p99)} ms${exact}${minimal}`);
      }
    }

    const summaries = list.map((w) => summarize(w, results.get(w.id)!));
    console.log("");
    printTable(summaries, peerRun?.labels);
    const out = path.join(process.cwd(), "bench", "results", `http-${startedAt.toISOString().replace(/[:.]/g, "-")}.json`);
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.writeFileSync(
      out,
      JSON.stringify(
        {
          startedAt,
          finishedAt: new Date(),
          options: { ...options, peers: options.peers?.map((p) => p.name) ?? null },
          sizes: size,
          machine,
          loadAverageAtEnd: os.loadavg(),
          summaries,
          rounds: Object.fromEntries(results),
          ...(peerRun ? { peers: peerRun.report() } : {}),
        },
        null,
        2,
      ),
    );
    console.log(`\nwrote ${path.relative(process.cwd(), out)}`);
  } finally {
    await peerRun?.stop();
    await server?.stop();
    await client.end({ timeout: 5 });
    await database.stop();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
