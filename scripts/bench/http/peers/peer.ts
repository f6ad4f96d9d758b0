import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createHmac, randomUUID } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { freePort, sleep, stopper } from "../../render";
import type { Answer, Call } from "../load";

/**
 * What `npm run bench:http -- --peers` needs to know about a public implementation of the same API
 * (seed 003) to run it next to ours: where its source comes from (a pinned commit), how it is
 * installed, built, started and seeded, and the request shapes of each workload with what a correct
 * answer is. One module per peer (./nest.ts, ./express.ts); ./index.ts runs them.
 */

export interface PeerDatabase {
  host: string;
  port: number;
  user: string;
  password: string;
  name: string;
  /** postgres:// URL of the peer's database (for the harness's own resets between phases). */
  url: string;
}

export interface PeerStartContext {
  dir: string;
  port: number;
  database: PeerDatabase;
  redis: { host: string; port: number; password: string | undefined };
  /** Unique per run: Redis key namespaces, secrets. */
  runTag: string;
  /** true on the first start against a fresh database: the peer creates its schema then. */
  firstStart: boolean;
}

/** A single-use code assigned to one user: what lock+redeem and the hot code start from. */
export interface AssignedCode {
  code: string;
  userId: string;
}

export interface PeerSeeded {
  smallBookId: string;
  /** null when the big book is not seeded for this peer (the reason is in bigBookSkipped). */
  bigBookId: string | null;
  bigBookSkipped?: string;
  pool: AssignedCode[];
  hot: AssignedCode[];
}

export interface SeedSizes {
  smallBookCodes: number;
  bigBookCodes: number;
  poolSize: number;
  hotCodes: number;
}

/** The peer's answer to one request, as the harness judges it. */
export type Verdict =
  | { kind: "ok"; code?: string }
  /** a 4xx: the peer said no (a conflict, a code "no longer available"): not throughput, not a broken invariant */
  | { kind: "refused" }
  /** a 5xx or an unreadable success: the peer failed */
  | { kind: "error"; why: string }
  /** an answer that breaks seed 003's contract (a code handed out twice, a single-use code redeemed again) */
  | { kind: "wrong"; why: string };

export interface PeerDefinition {
  name: string;
  /** Framework and repository, for the table. */
  label: string;
  repo: string;
  /** The commit the recipe is pinned to. */
  commit: string;
  /** Shell-free commands run in the source tree: install (from the peer's own lockfile where it has one) then build. */
  install: (dir: string) => { command: string; args: string[]; env?: Record<string, string> }[];
  /** The built entry point, relative to the source tree: its presence means "prepared". */
  entry: string;
  /** Options for node before the entry point. */
  nodeArgs?: string[];
  env: (context: PeerStartContext) => Record<string, string>;
  /** Also write env() to this file of the source tree (a peer that validates only its .env file, not its environment). */
  envFile?: string;
  health: (baseUrl: string) => { url: string; headers?: Record<string, string> };
  /** Books, codes, the lock+redeem pool and the hot codes, through the peer's own API. */
  seed: (client: PeerClient, sizes: SeedSizes, runTag: string) => Promise<PeerSeeded>;
  /** Puts a random-assignment book back as seeded (its codes AVAILABLE, no assignment), by SQL on the peer's database. */
  resetBookSql: (bookId: string) => { text: string; values: unknown[] }[];
  /**
   * The largest book the peer's random assignment can be measured on without exhausting its
   * process (beyond it the big book is neither seeded nor measured, and the table says why).
   */
  maxAssignmentBook?: { codes: number; why: string };
  /** A user id in the form the peer accepts (one of them requires a UUID). */
  newUserId: () => string;
  assign: (bookId: string, userId: string) => Call;
  /** ok (with the code handed out) only for a success answer that names a code. */
  judgeAssign: (answer: Answer) => Verdict;
  lock: (item: AssignedCode, checkoutId: string) => Call;
  judgeLock: (answer: Answer) => Verdict;
  redeem: (item: AssignedCode, orderId: string) => Call;
  /** ok only for a success that consumed the single use. */
  judgeRedeem: (answer: Answer) => Verdict;
  /** Facts about the peer that change what a figure means (auth, logging mode, deviations from seed 003). */
  notes: string[];
}

/** Seeding calls against a started peer: JSON in, JSON out, any non-2xx is an error (seeding is not measured). */
export class PeerClient {
  constructor(
    readonly baseUrl: string,
    private readonly defaultHeaders: () => Record<string, string> = () => ({}),
  ) {}

  async json<T>(method: string, pathname: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
    const response = await fetch(`${this.baseUrl}${pathname}`, {
      method,
      headers: { ...this.defaultHeaders(), ...(body === undefined ? {} : { "content-type": "application/json" }), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(600_000),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${pathname}: ${response.status} ${text.slice(0, 400)}`);
    return (text ? JSON.parse(text) : null) as T;
  }
}

/** `count` items through `worker`, `concurrency` at a time (seeding helper). */
export async function inParallel<T>(count: number, concurrency: number, worker: (i: number) => Promise<T>): Promise<T[]> {
  const out: T[] = new Array<T>(count);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, count) }, async () => {
      while (next < count) {
        const i = next++;
        out[i] = await worker(i);
      }
    }),
  );
  return out;
}

/** A compact HS256 JWT (the NestJS peer verifies bearer tokens signed with its JWT_SECRET; its login endpoint is a mock). */
export function signJwt(secret: string, payload: Record<string, unknown>): string {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
  const head = `${encode({ alg: "HS256", typ: "JWT" })}.${encode(payload)}`;
  return `${head}.${createHmac("sha256", secret).update(head).digest("base64url")}`;
}

export const uuid = () => randomUUID();

/** Where prepared peers live: BENCH_PEERS_DIR, else ~/.cache/coupon-bench-peers. */
export function peersRoot(): string {
  return process.env.BENCH_PEERS_DIR ?? path.join(os.homedir(), ".cache", "coupon-bench-peers");
}

export function peerDir(peer: PeerDefinition): string {
  return path.join(peersRoot(), `${peer.name}-${peer.commit.slice(0, 12)}`);
}

export function isPrepared(peer: PeerDefinition): boolean {
  return fs.existsSync(path.join(peerDir(peer), peer.entry)) && fs.existsSync(path.join(peerDir(peer), ".bench-prepared.json"));
}

function run(command: string, args: string[], options: { cwd?: string; env?: Record<string, string>; input?: Buffer } = {}) {
  const result = spawnSync(command, args, {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    input: options.input,
    stdio: options.input ? ["pipe", "inherit", "inherit"] : "inherit",
    maxBuffer: 1 << 30,
  });
  if (result.status !== 0) throw new Error(`${command} ${args.join(" ")} failed (${result.status ?? result.signal})`);
}

function capture(command: string, args: string[], cwd?: string): Buffer {
  const result = spawnSync(command, args, { cwd, maxBuffer: 1 << 30 });
  if (result.status !== 0) throw new Error(`${command} ${args.join(" ")} failed: ${result.stderr?.toString().slice(0, 400)}`);
  return result.stdout;
}

/**
 * The peer's source at its pinned commit, installed and built under peersRoot(). The source comes
 * from BENCH_PEER_<NAME>_GIT (a local git directory, bare or not, or a clone URL), else
 * https://github.com/<repo>.git. Downloads: run it once, before a bench (`npm run bench:peers:prepare`).
 */
export function preparePeer(peer: PeerDefinition, options: { force?: boolean } = {}) {
  const dir = peerDir(peer);
  if (isPrepared(peer) && !options.force) {
    console.log(`${peer.name}: prepared at ${dir}`);
    return;
  }
  const source = process.env[`BENCH_PEER_${peer.name.toUpperCase()}_GIT`] ?? `https://github.com/${peer.repo}.git`;
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  let gitDir = source;
  let clone: string | undefined;
  if (!fs.existsSync(source)) {
    clone = fs.mkdtempSync(path.join(os.tmpdir(), `peer-${peer.name}-`));
    console.log(`${peer.name}: cloning ${source}`);
    run("git", ["clone", "--bare", "--quiet", source, clone]);
    gitDir = clone;
  } else if (fs.existsSync(path.join(source, ".git"))) {
    gitDir = path.join(source, ".git");
  }
  try {
    console.log(`${peer.name}: ${peer.repo}@${peer.commit} → ${dir}`);
    const tar = capture("git", [`--git-dir=${gitDir}`, "archive", "--format=tar", peer.commit]);
    run("tar", ["-x", "-C", dir], { input: tar });
  } finally {
    if (clone) fs.rmSync(clone, { recursive: true, force: true });
  }
  const steps = peer.install(dir);
  for (const step of steps) {
    console.log(`${peer.name}: ${step.command} ${step.args.join(" ")}`);
    run(step.command, step.args, { cwd: dir, env: step.env });
  }
  if (!fs.existsSync(path.join(dir, peer.entry))) throw new Error(`${peer.name}: the build did not produce ${peer.entry}`);
  fs.writeFileSync(
    path.join(dir, ".bench-prepared.json"),
    JSON.stringify({ repo: peer.repo, commit: peer.commit, source, preparedAt: new Date(), node: process.version, steps }, null, 2),
  );
  console.log(`${peer.name}: prepared`);
}


export interface PeerProcess {
  baseUrl: string;
  pid: number | undefined;
  logFile: string;
  alive: () => boolean;
  stop: () => Promise<void>;
}

/**
 * Starts the built peer on a free port. Its output goes to a file in its directory, not through
 * the harness: the load generator runs in the harness's process, and reading a peer's query log
 * there would slow the generator for that peer only.
 */
export async function startPeer(peer: PeerDefinition, context: Omit<PeerStartContext, "dir" | "port">): Promise<PeerProcess> {
  const dir = peerDir(peer);
  if (!isPrepared(peer)) throw new Error(`${peer.name} is not prepared (${dir}): run \`npm run bench:peers:prepare\` first`);
  const port = await freePort();
  const logFile = path.join(dir, `bench-server-${context.runTag}.log`);
  const out = fs.openSync(logFile, "a");
  // Only what the peer's recipe sets (plus PATH and HOME): none of the harness's own settings leak into it.
  const own = peer.env({ ...context, dir, port });
  const env: NodeJS.ProcessEnv = { NODE_ENV: "production", PATH: process.env.PATH, HOME: process.env.HOME, ...own };
  if (peer.envFile) {
    fs.writeFileSync(path.join(dir, peer.envFile), Object.entries(own).map(([key, value]) => `${key}=${value}\n`).join(""), { mode: 0o600 });
  }
  const child: ChildProcess = spawn(process.execPath, [...(peer.nodeArgs ?? []), peer.entry], { cwd: dir, env, stdio: ["ignore", out, out] });
  fs.closeSync(out);
  const stop = stopper(child, "SIGTERM", 10_000);
  const baseUrl = `http://127.0.0.1:${port}`;
  const tail = () => fs.readFileSync(logFile, "utf8").slice(-3000);
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${peer.name} exited (${child.exitCode}) before answering:\n${tail()}`);
    try {
      const { url, headers } = peer.health(baseUrl);
      if ((await fetch(url, { headers, signal: AbortSignal.timeout(5_000) })).ok) {
        return { baseUrl, pid: child.pid, logFile, alive: () => child.exitCode === null && child.signalCode === null, stop };
      }
    } catch {
      // not listening yet
    }
    await sleep(300);
  }
  await stop();
  throw new Error(`${peer.name} did not answer its health check within 120 s:\n${tail()}`);
}

/** The JSON body of an answer, or undefined when it is not JSON. */
export function body<T>(answer: Answer): T | undefined {
  try {
    return JSON.parse(answer.body) as T;
  } catch {
    return undefined;
  }
}

/** Answers that are not a success: a 4xx is a refusal, anything else an error. */
export function notSuccess(answer: Answer): Verdict {
  return answer.status >= 400 && answer.status < 500 ? { kind: "refused" } : { kind: "error", why: `status ${answer.status}: ${answer.body.slice(0, 200)}` };
}
