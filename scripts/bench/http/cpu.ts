import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { sql } from "drizzle-orm";
import { createDb, type Db } from "@/db/client";
import { logger } from "@/lib/log";
import { apiClient } from "@/testing/api/client";
import { apiRequest } from "@/testing/api/client";
import { freePort, productionServerEnv, sleep, stopper } from "../render";
import { percentile, runPhase, type Answer } from "./load";
import { treeCpuSeconds } from "./proc";
import { freshDatabase } from "./run";
import { resetAssignmentBook, seed, type Seeded } from "./seed";

/**
 * Server CPU per request, side by side, and where it goes (issue 15):
 *
 *   npx tsx scripts/bench/http/cpu.ts --database <name_with_bench> [--seed [--seed-only]]
 *     [--server label=path/to/.next/standalone/server.js ...] [--rounds 3] [--requests 400]
 *     [--phases assign,lockredeem,hot,floor] [--profile DIR]
 *
 * Seeds once (--seed, or when the state file is missing) through bench:http's seed, then starts
 * every given production server on that database (default: this checkout's standalone build), and
 * runs the phases round by round, servers interleaved (A, B, A, B…), reading each server's CPU from
 * /proc around its own phase only. Ratios between servers measured in the same round hold on a
 * shared machine where absolute figures do not. With --profile, each server runs under
 * `node --cpu-prof` and the measured windows (CLOCK_MONOTONIC, the clock V8's profiles use) are
 * written next to the profiles, so cpu-summary.ts can leave start-up and warm-up out.
 */

interface Options {
  database: string;
  reseed: boolean;
  servers: { label: string; script: string; nodeArgs: string[]; env: Record<string, string> }[];
  rounds: number;
  requests: number;
  phases: string[];
  profileDir: string | null;
}

function parseArgs(argv: string[]): Options {
  const values = (name: string) => argv.flatMap((arg, i) => (arg === name && argv[i + 1] ? [argv[i + 1]!] : []));
  const database = values("--database")[0];
  if (!database || !/bench/.test(database)) throw new Error("--database NAME is required, and its name must contain \"bench\" (it is dropped on --seed)");
  // `label=[NAME=value ][node flags ]path/to/server.js`, e.g. `semi64=--max-semi-space-size=64 .next/standalone/server.js`
  // or `unix=DATABASE_URL=postgres://postgres@localhost/cpu_bench?host=/var/run/postgresql .next/standalone/server.js`.
  const servers = values("--server").map((spec) => {
    const at = spec.indexOf("=");
    const words = spec.slice(at + 1).trim().split(/\s+/);
    const settings = words.slice(0, -1);
    const isEnv = (word: string) => /^[A-Z][A-Z0-9_]*=/.test(word);
    const env = Object.fromEntries(settings.filter(isEnv).map((word) => [word.slice(0, word.indexOf("=")), word.slice(word.indexOf("=") + 1)]));
    return { label: spec.slice(0, at), script: path.resolve(words.at(-1)!), nodeArgs: settings.filter((word) => !isEnv(word)), env };
  });
  return {
    database,
    reseed: argv.includes("--seed"),
    servers: servers.length > 0 ? servers : [{ label: "this", script: path.resolve(".next/standalone/server.js"), nodeArgs: [], env: {} }],
    rounds: Number(values("--rounds")[0] ?? 3),
    requests: Number(values("--requests")[0] ?? 400),
    phases: (values("--phases")[0] ?? "assign,lockredeem,hot").split(","),
    profileDir: values("--profile")[0] ? path.resolve(values("--profile")[0]!) : null,
  };
}

interface State {
  url: string;
  seeded: Seeded;
  /** Next unused index of the lock+redeem pool and of the hot codes (each is used once). */
  poolNext: number;
  hotNext: number;
}

const stateFile = (database: string) => path.join("bench", "results", `cpu-state-${database}.json`);

async function prepare(options: Options): Promise<State> {
  const file = stateFile(options.database);
  if (!options.reseed && fs.existsSync(file)) return JSON.parse(fs.readFileSync(file, "utf8")) as State;
  const database = await freshDatabase(options.database);
  const { db, client } = createDb(database.url, { max: 8 });
  try {
    const runTag = Date.now().toString(36);
    const seeded = await seed(db, { runTag, bigBookCodes: 10_000, poolSize: 4_000, rounds: 60, dashboardAttempts: 1_000 });
    const state: State = { url: database.url, seeded, poolNext: 0, hotNext: 0 };
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, JSON.stringify(state));
    return state;
  } finally {
    await client.end({ timeout: 5 });
  }
}


interface Server {
  label: string;
  baseUrl: string;
  pid: number;
  stop: () => Promise<void>;
}

/** A standalone server on a free loopback port, as bench:http starts it; SIGINT to stop (Next exits, so V8 writes the profile). */
async function start({ label, script, nodeArgs, env: serverEnv }: Options["servers"][number], databaseUrl: string, profileDir: string | null): Promise<Server> {
  const port = await freePort();
  const env = productionServerEnv(serverEnv.DATABASE_URL ?? databaseUrl, port, {
    REDIS_URL: process.env.REDIS_URL ?? "redis://127.0.0.1:6379",
    RATE_LIMIT_API_KEY_PER_MINUTE: "100000000",
    LOG_LEVEL: "warn",
    ...serverEnv,
  });
  const args = [...nodeArgs, ...(profileDir ? [`--cpu-prof`, `--cpu-prof-dir=${path.join(profileDir, label)}`] : []), script];
  // The server's JSON log (warnings and errors: a 500's cause) goes to a file beside the results.
  const log = fs.openSync(path.join("bench", "results", `cpu-server-${label}.log`), "a");
  const child: ChildProcess = spawn(process.execPath, args, { env, stdio: ["ignore", log, "pipe"] });
  let stderr = "";
  child.stderr!.on("data", (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  const stop = stopper(child, "SIGINT", 20_000);
  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${label} exited (${child.exitCode}) before answering:\n${stderr}`);
    try {
      const { data, error } = await apiClient(baseUrl, null).GET("/api/health");
      const health = data ?? error;
      if (health.redis !== "connected") throw new Error(`${label}: Redis is ${health.redis}`);
      return { label, baseUrl, pid: child.pid!, stop };
    } catch (error) {
      if ((error as Error).message.includes("Redis is")) throw error;
    }
    await sleep(200);
  }
  await stop();
  throw new Error(`${label} did not answer /api/health within 60 s:\n${stderr}`);
}

const nowUs = () => Number(process.hrtime.bigint() / 1000n);

function expectStatus(expected: number, answer: Answer) {
  if (answer.status !== expected) throw new Error(`status ${answer.status} (expected ${expected}): ${answer.body.slice(0, 300)}`);
}

/** One step's latencies, as runPhase returns them (sorted). */
const stepLatencies = (sorted: number[]) =>
  `p50 ${percentile(sorted, 50).toFixed(1)}, p90 ${percentile(sorted, 90).toFixed(1)}, p99 ${percentile(sorted, 99).toFixed(1)}, max ${sorted.at(-1)!.toFixed(1)} ms`;

interface Measured {
  server: string;
  phase: string;
  round: number;
  requests: number;
  rate: number;
  p50: number;
  p99: number;
  cpuMsPerRequest: number;
  startUs: number;
  endUs: number;
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  logger.level = "warn";
  const state = await prepare(options);
  if (process.argv.includes("--seed-only")) return;
  const { db, client } = createDb(state.url, { max: 4 });
  const servers: Server[] = [];
  const measured: Measured[] = [];
  const auth = { authorization: `Bearer ${state.seeded.apiKey}` };
  const save = () => fs.writeFileSync(stateFile(options.database), JSON.stringify(state));
  try {
    for (const spec of options.servers) servers.push(await start(spec, state.url, options.profileDir));

    const phases: Record<string, (server: Server, round: number, warm: boolean) => Promise<{ requests: number; seconds: number; latencies: number[] }>> = {
      assign: async (server, round, warm) => {
        const r = await runPhase(
          server.baseUrl,
          { total: warm ? 80 : options.requests, concurrency: 8, timeoutMs: 120_000 },
          (n) => [apiRequest("post", "/api/assignments/random", { headers: auth, body: { couponBookId: state.seeded.smallBookId, userId: `cpu-${server.label}-${round}-${warm}-${Date.now()}-${n}` } })],
          (_n, _s, answer) => expectStatus(201, answer),
        );
        await resetAssignmentBook(db as Db, state.seeded.smallBookId);
        return { requests: r.requests, seconds: r.seconds, latencies: r.latencies[0] ?? [] };
      },
      lockredeem: async (server, _round, warm) => {
        const pairs = warm ? 16 : Math.ceil(options.requests / 4);
        const rows = (await db.execute(sql`select code, user_id from bench_http_pool where idx >= ${state.poolNext} order by idx limit ${pairs}`)) as unknown as { code: string; user_id: string }[];
        if (rows.length < pairs) throw new Error("the lock+redeem pool is used up: --seed");
        state.poolNext += pairs;
        save();
        const r = await runPhase(
          server.baseUrl,
          { total: pairs, concurrency: 8, timeoutMs: 120_000 },
          (n) => {
            const { code, user_id: userId } = rows[n]!;
            const checkoutId = `cpu-${state.poolNext}-${n}`;
            return [
              apiRequest("post", "/api/coupons/{code}/lock", { path: { code }, headers: auth, body: { userId, checkoutId } }),
              apiRequest("post", "/api/coupons/{code}/redeem", { path: { code }, headers: auth, body: { userId, checkoutId, orderId: `o-${checkoutId}` } }),
            ];
          },
          (_n, _s, answer) => expectStatus(200, answer),
        );
        if (!warm) console.log(`  ${server.label}: lock ${stepLatencies(r.latencies[0]!)} | redeem ${stepLatencies(r.latencies[1]!)}`);
        return { requests: r.requests * 2, seconds: r.seconds, latencies: r.sequenceLatencies };
      },
      hot: async (server) => {
        const hot = state.seeded.hotCodes[state.hotNext++];
        if (!hot) throw new Error("the hot codes are used up: --seed");
        save();
        let successes = 0;
        const r = await runPhase(
          server.baseUrl,
          { total: 200, concurrency: 200, timeoutMs: 120_000 },
          (n) => [apiRequest("post", "/api/coupons/{code}/redeem", { path: { code: hot.code }, headers: auth, body: { userId: hot.userId, orderId: `hot-${state.hotNext}-${n}` } })],
          (_n, _s, answer) => {
            if (answer.status === 200) successes++;
            else if (answer.status >= 500 || answer.status < 400) throw new Error(`status ${answer.status}: ${answer.body.slice(0, 300)}`);
          },
        );
        if (successes !== 1) throw new Error(`hot code: ${successes} successes among 200`);
        return { requests: r.requests, seconds: r.seconds, latencies: r.latencies[0] ?? [] };
      },
      // What the redeem route costs before any database work: a body the schema refuses (400), after the
      // API key, the rate limiter and the route's own handling; the hot code's 200 at once, for comparison.
      floor: async (server) => {
        const hot = state.seeded.hotCodes[0]!;
        const r = await runPhase(
          server.baseUrl,
          { total: 200, concurrency: 200, timeoutMs: 120_000 },
          () => [apiRequest("post", "/api/coupons/{code}/redeem", { path: { code: hot.code }, headers: auth, body: { userId: 7 } as never })],
          (_n, _s, answer) => expectStatus(400, answer),
        );
        return { requests: r.requests, seconds: r.seconds, latencies: r.latencies[0] ?? [] };
      },
    };

    // Warm-up (first compile of each route, JIT, pools), not recorded.
    for (const server of servers) for (const phase of options.phases.filter((p) => !p.startsWith("hot"))) await phases[phase]!(server, -1, true);

    for (let round = 0; round < options.rounds; round++) {
      // The phases' order alternates too: a phase right after another pays for its garbage and its after-response work.
      for (const phase of round % 2 === 0 ? options.phases : [...options.phases].reverse()) {
        // Alternate which server goes first, so neither always runs right after the other's phase.
        const order = round % 2 === 0 ? servers : [...servers].reverse();
        for (const server of order) {
          const before = treeCpuSeconds(server.pid)!;
          const startUs = nowUs();
          const r = await phases[phase]!(server, round, false);
          const endUs = nowUs();
          const cpu = treeCpuSeconds(server.pid)! - before;
          const sorted = [...r.latencies].sort((a, b) => a - b);
          const m = { server: server.label, phase, round, requests: r.requests, rate: r.requests / r.seconds, p50: percentile(sorted, 50), p99: percentile(sorted, 99), cpuMsPerRequest: (cpu * 1000) / r.requests, startUs, endUs };
          measured.push(m);
          console.log(`round ${round + 1} ${phase.padEnd(10)} ${server.label.padEnd(8)} ${m.requests} req, ${m.rate.toFixed(0)}/s, p50 ${m.p50.toFixed(1)} ms, p99 ${m.p99.toFixed(1)} ms, CPU ${m.cpuMsPerRequest.toFixed(2)} ms/req`);
        }
      }
    }

    for (const other of servers.slice(1)) {
      const base = servers[0]!.label;
      console.log(`\n${other.label} ÷ ${base}, per round (same round, same machine state): CPU per request; p99`);
      for (const phase of options.phases) {
        const ratios = Array.from({ length: options.rounds }, (_, round) => {
          const of = (label: string) => measured.find((m) => m.phase === phase && m.round === round && m.server === label)!;
          return `${(of(other.label).cpuMsPerRequest / of(base).cpuMsPerRequest).toFixed(2)}; ${(of(other.label).p99 / of(base).p99).toFixed(2)}`;
        });
        console.log(`  ${phase}: ${ratios.join(" | ")}`);
      }
    }
    const out = path.join("bench", "results", `cpu-${new Date().toISOString().replace(/[:.]/g, "-")}.json`);
    fs.writeFileSync(out, JSON.stringify({ options, measured }, null, 2));
    console.log(`wrote ${out}`);
  } finally {
    // Even after a failed phase: the profiles of the phases measured before it are still worth reading.
    if (options.profileDir) {
      fs.mkdirSync(options.profileDir, { recursive: true });
      fs.writeFileSync(path.join(options.profileDir, "windows.json"), JSON.stringify(measured, null, 2));
    }
    for (const server of servers) await server.stop();
    await client.end({ timeout: 5 });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
