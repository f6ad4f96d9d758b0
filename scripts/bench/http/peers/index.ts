import postgres from "postgres";
import { percentile, runPhase, type Answer, type Call, type PhaseResult } from "../load";
import { postgresCpuSeconds, treeCpuSeconds } from "../proc";
import { LOCK_REDEEM_CONCURRENCY } from "../workload";
import { express } from "./express";
import { nest } from "./nest";
import {
  isPrepared,
  peerDir,
  PeerClient,
  preparePeer,
  startPeer,
  type AssignedCode,
  type PeerDatabase,
  type PeerDefinition,
  type PeerProcess,
  type PeerSeeded,
  type Verdict,
} from "./peer";

/**
 * `npm run bench:http -- --peers [nest,express]`: the public implementations of the same API next
 * to ours, in the same round, from the same load generator (../load.ts). Each peer is prepared once
 * (`--prepare-peers` or `npm run bench:peers:prepare`: source at a pinned commit, its own install
 * and build under ~/.cache/coupon-bench-peers), then started once per run on its own database and
 * seeded through its own API. Per workload, run.ts measures our server, then each peer in turn.
 * Peers stay up and idle while not measured (they run no timers; the idle CPU they used is
 * reported), so that no phase pays a peer's start or its cold JIT. A wrong answer from a peer does
 * not stop the run: it is counted and reported, as are refusals (4xx) and errors (5xx).
 */

export const PEERS: Record<string, PeerDefinition> = { nest, express };

/** `--peers` → every peer; `--peers nest,express` → those; absent → null. */
export function selectPeers(argv: string[]): PeerDefinition[] | null {
  const at = argv.indexOf("--peers");
  if (at < 0) return null;
  const list = argv[at + 1] && !argv[at + 1]!.startsWith("--") ? argv[at + 1]!.split(",") : Object.keys(PEERS);
  return list.map((name) => {
    const peer = PEERS[name.trim()];
    if (!peer) throw new Error(`--peers: unknown peer ${name} (known: ${Object.keys(PEERS).join(", ")})`);
    return peer;
  });
}

export function preparePeers(peers: PeerDefinition[], options: { force?: boolean } = {}) {
  for (const peer of peers) preparePeer(peer, options);
}

export interface PeerSizes {
  assignRequests: number;
  pairs: number;
  bigBookCodes: number;
  timeoutMs: number;
  hotParallel: number;
  rounds: number;
  /** The warm-up every system gets before round 1 (run.ts's sizes): assignments at c=8, then lock+redeem pairs at c=8. */
  warm: { assignRequests: number; pairs: number };
}

export interface PeerFigures {
  /** Sequences sent (one request, or a lock then a redeem). */
  requests: number;
  /** Sequences whose every answer was the expected success. */
  ok: number;
  seconds: number;
  /** ok sequences per second: a refusal is not throughput. */
  rate: number;
  p50: number;
  p99: number;
  steps?: { p50: number; p99: number }[];
  statuses: Record<string, number>;
  refused: number;
  errors: number;
  /** Answers that break seed 003's contract (a code handed out twice, a single-use code redeemed twice). */
  wrong: number;
  examples: string[];
  serverCpuMsPerRequest: number | null;
  postgresCpuMsPerRequest: number | null;
  /** hot code: how many redeems succeeded (exactly 1 is correct) */
  successes?: number;
  /** set instead of figures when the phase was not run, or failed */
  skipped?: string;
  failed?: string;
}

interface Running {
  peer: PeerDefinition;
  process: PeerProcess;
  database: PeerDatabase;
  seeded: PeerSeeded;
  sql: postgres.Sql;
  poolNext: number;
  /** CPU seconds of the peer's process when measuring began, and the part spent in its own phases. */
  cpuAtStart: number | null;
  cpuMeasured: number;
}

function parseRedis(url: string) {
  const u = new URL(url);
  return { host: u.hostname, port: Number(u.port || 6379), password: u.password ? decodeURIComponent(u.password) : undefined };
}

async function freshPeerDatabase(benchUrl: string, name: string) {
  const admin = new URL(benchUrl);
  admin.pathname = "/postgres";
  const sql = postgres(admin.toString(), { max: 1, onnotice: () => {} });
  try {
    await sql.unsafe(`drop database if exists "${name}" with (force)`);
    await sql.unsafe(`create database "${name}"`);
  } finally {
    await sql.end({ timeout: 5 });
  }
  const url = new URL(benchUrl);
  url.pathname = `/${name}`;
  return {
    host: url.hostname,
    port: Number(url.port || 5432),
    user: decodeURIComponent(url.username || "postgres"),
    // Both peers refuse an empty password in their configuration; a trust-auth server ignores it.
    password: decodeURIComponent(url.password) || "bench",
    name,
    url: url.toString(),
  };
}

const tally = () => ({ refused: 0, errors: 0, wrong: 0, examples: [] as string[] });
type Tally = ReturnType<typeof tally>;

function count(t: Tally, verdict: Verdict) {
  if (verdict.kind === "refused") t.refused++;
  else if (verdict.kind === "error") {
    t.errors++;
    if (t.examples.length < 3) t.examples.push(verdict.why);
  } else if (verdict.kind === "wrong") {
    t.wrong++;
    if (t.examples.length < 3) t.examples.push(verdict.why);
  }
}

export interface PeerRun {
  labels: { name: string; label: string }[];
  warm: () => Promise<void>;
  /** The peers' figures for one of run.ts's workloads (undefined when no peer has it). */
  measure: (workloadId: string, round: number) => Promise<Record<string, PeerFigures> | undefined>;
  report: () => Record<string, unknown>;
  stop: () => Promise<void>;
}

/**
 * Starts and seeds every selected peer (each on `<benchDatabase>_peer_<name>`), measuring nothing
 * yet. `benchUrl` is the bench database's URL (the peers' databases go on the same server).
 */
export async function startPeers(peers: PeerDefinition[], options: { benchUrl: string; benchDatabase: string; runTag: string; size: PeerSizes }): Promise<PeerRun> {
  const missing = peers.filter((p) => !isPrepared(p));
  if (missing.length > 0) {
    throw new Error(`peers not prepared: ${missing.map((p) => `${p.name} (${peerDir(p)})`).join(", ")}; run \`npm run bench:http -- --peers --prepare-peers\` or \`npm run bench:peers:prepare\``);
  }
  const { size, runTag } = options;
  const redis = parseRedis(process.env.REDIS_URL ?? "redis://127.0.0.1:6379");
  const running: Running[] = [];
  const stopAll = async () => {
    for (const r of running) {
      await r.process.stop();
      await r.sql.end({ timeout: 5 });
    }
  };
  try {
    for (const peer of peers) {
      const database = await freshPeerDatabase(options.benchUrl, `${options.benchDatabase}_peer_${peer.name}`);
      const started = Date.now();
      // The first start creates the schema (both peers use TypeORM synchronize); the measured server is the same process.
      const server = await startPeer(peer, { database, redis, runTag, firstStart: true });
      const sql = postgres(database.url, { max: 1, onnotice: () => {} });
      running.push({ peer, process: server, database, seeded: undefined as unknown as PeerSeeded, sql, poolNext: 0, cpuAtStart: null, cpuMeasured: 0 });
      console.log(`${peer.name}: pid ${server.pid}, ${server.baseUrl}, database ${database.name}; seeding`);
      const limit = peer.maxAssignmentBook;
      const bigFeasible = !limit || size.bigBookCodes <= limit.codes;
      const seeded = await peer.seed(
        new PeerClient(server.baseUrl),
        { smallBookCodes: 5_000, bigBookCodes: bigFeasible ? size.bigBookCodes : 0, poolSize: size.rounds * LOCK_REDEEM_CONCURRENCY.length * size.pairs + size.warm.pairs, hotCodes: size.rounds },
        runTag,
      );
      if (!bigFeasible) {
        seeded.bigBookId = null;
        seeded.bigBookSkipped = `infeasible above ${limit.codes.toLocaleString("en-US")} codes: ${limit.why}`;
      }
      running.at(-1)!.seeded = seeded;
      await sql.unsafe("vacuum analyze");
      const big = seeded.bigBookId ? `${size.bigBookCodes.toLocaleString("en-US")} codes` : "no big book";
      console.log(`${peer.name}: seeded in ${((Date.now() - started) / 1000).toFixed(0)} s (5,000 codes, ${big}, ${seeded.pool.length} assigned for lock+redeem, ${seeded.hot.length} hot)`);
    }
  } catch (error) {
    await stopAll();
    throw error;
  }

  const resetBook = async (r: Running, bookId: string) => {
    for (const statement of r.peer.resetBookSql(bookId)) await r.sql.unsafe(statement.text, statement.values as postgres.ParameterOrJSON<never>[]);
  };

  /** One measured phase on one peer: every answer judged by `judge(n, step, answer)`, none stops the phase. */
  const phase = async (
    r: Running,
    spec: { total: number; concurrency: number; requestsPerSequence: number },
    calls: (n: number) => Call[],
    judge: (n: number, step: number, answer: Answer) => Verdict,
    t: Tally,
  ): Promise<{ result: PhaseResult; ok: number; cpu: { serverMs: number | null; postgresMs: number | null } }> => {
    const failedSequences = new Set<number>();
    const before = { server: treeCpuSeconds(r.process.pid!), postgres: postgresCpuSeconds() };
    const result = await runPhase(r.process.baseUrl, { total: spec.total, concurrency: spec.concurrency, timeoutMs: size.timeoutMs }, calls, (n, step, answer) => {
      const verdict = judge(n, step, answer);
      if (verdict.kind !== "ok") failedSequences.add(n);
      count(t, verdict);
    });
    const after = { server: treeCpuSeconds(r.process.pid!), postgres: postgresCpuSeconds() };
    if (before.server !== null && after.server !== null) r.cpuMeasured += after.server - before.server;
    const requests = result.requests * spec.requestsPerSequence;
    const per = (a: number | null, b: number | null) => (a === null || b === null || requests === 0 ? null : ((b - a) * 1000) / requests);
    return { result, ok: result.requests - failedSequences.size, cpu: { serverMs: per(before.server, after.server), postgresMs: per(before.postgres, after.postgres) } };
  };

  const figures = (run: Awaited<ReturnType<typeof phase>>, t: Tally): PeerFigures => ({
    requests: run.result.requests,
    ok: run.ok,
    seconds: run.result.seconds,
    rate: run.ok / run.result.seconds,
    p50: percentile(run.result.sequenceLatencies, 50),
    p99: percentile(run.result.sequenceLatencies, 99),
    ...(run.result.latencies.length > 1 ? { steps: run.result.latencies.map((l) => ({ p50: percentile(l, 50), p99: percentile(l, 99) })) } : {}),
    statuses: run.result.statuses,
    ...t,
    serverCpuMsPerRequest: run.cpu.serverMs,
    postgresCpuMsPerRequest: run.cpu.postgresMs,
  });

  const assign = async (r: Running, bookId: string, total: number, concurrency: number) => {
    const t = tally();
    const handedOut = new Set<string>();
    const run = await phase(
      r,
      { total, concurrency, requestsPerSequence: 1 },
      () => [r.peer.assign(bookId, r.peer.newUserId())],
      (_n, _step, answer) => {
        const verdict = r.peer.judgeAssign(answer);
        if (verdict.kind !== "ok" || !verdict.code) return verdict;
        if (handedOut.has(verdict.code)) return { kind: "wrong", why: `code handed out twice in one phase` };
        handedOut.add(verdict.code);
        return verdict;
      },
      t,
    );
    await resetBook(r, bookId);
    return figures(run, t);
  };

  const lockRedeem = async (r: Running, pairs: number, tag: string, concurrency = 8) => {
    const from = r.poolNext;
    r.poolNext += pairs;
    if (r.poolNext > r.seeded.pool.length) throw new Error(`${r.peer.name}: the lock+redeem pool is used up`);
    const t = tally();
    const run = await phase(
      r,
      { total: pairs, concurrency, requestsPerSequence: 2 },
      (n) => {
        const item: AssignedCode = r.seeded.pool[from + n]!;
        const checkoutId = `co-${runTag}-${tag}-${n}`;
        return [r.peer.lock(item, checkoutId), r.peer.redeem(item, `o-${checkoutId}`)];
      },
      (_n, step, answer) => (step === 0 ? r.peer.judgeLock(answer) : r.peer.judgeRedeem(answer)),
      t,
    );
    return figures(run, t);
  };

  const hot = async (r: Running, round: number) => {
    const item = r.seeded.hot[round]!;
    const t = tally();
    let successes = 0;
    const run = await phase(
      r,
      { total: size.hotParallel, concurrency: size.hotParallel, requestsPerSequence: 1 },
      (n) => [r.peer.redeem(item, `hot-${runTag}-${round}-${n}`)],
      (_n, _step, answer) => {
        const verdict = r.peer.judgeRedeem(answer);
        if (verdict.kind !== "ok") return verdict;
        successes++;
        // Every success after the first redeems a single-use code again.
        return successes > 1 ? { kind: "wrong", why: "a single-use code redeemed more than once" } : verdict;
      },
      t,
    );
    // The phase is one success among N: its "rate" is not throughput, its latencies are what matter.
    return { ...figures(run, t), successes, ok: successes === 1 ? run.result.requests : 0 };
  };

  const measureOne = async (r: Running, workloadId: string, round: number): Promise<PeerFigures | undefined> => {
    const assignMatch = /^assign-(.+)-c(\d+)$/.exec(workloadId);
    if (assignMatch) {
      const bookId = assignMatch[1] === "5k" ? r.seeded.smallBookId : r.seeded.bigBookId;
      if (!bookId) return { skipped: r.seeded.bigBookSkipped ?? "no such book" } as PeerFigures;
      return assign(r, bookId, size.assignRequests, Number(assignMatch[2]));
    }
    const lockRedeemMatch = /^lock-redeem-c(\d+)$/.exec(workloadId);
    if (lockRedeemMatch) return lockRedeem(r, size.pairs, `${round}-${workloadId}`, Number(lockRedeemMatch[1]));
    if (workloadId === "hot-code-200") return hot(r, round);
    return undefined;
  };

  return {
    labels: running.map((r) => ({ name: r.peer.name, label: r.peer.label })),
    warm: async () => {
      for (const r of running) {
        await assign(r, r.seeded.smallBookId, size.warm.assignRequests, 8);
        await lockRedeem(r, size.warm.pairs, "warm");
        r.cpuAtStart = treeCpuSeconds(r.process.pid!);
        r.cpuMeasured = 0;
      }
    },
    measure: async (workloadId, round) => {
      const out: Record<string, PeerFigures> = {};
      for (const r of running) {
        let result: PeerFigures | undefined;
        try {
          result = await measureOne(r, workloadId, round);
        } catch (error) {
          // A request without an answer (a crashed or hung peer) ends that peer's phase, not the run:
          // a peer that died is started again on its database for the next workloads.
          result = { failed: (error as Error).message.slice(0, 500) } as PeerFigures;
          if (!r.process.alive()) {
            console.log(`    ${r.peer.name} exited (see ${r.process.logFile}); starting it again`);
            r.process = await startPeer(r.peer, { database: r.database, redis, runTag, firstStart: false });
            r.cpuAtStart = null;
          }
        }
        if (result) out[r.peer.name] = result;
        const f = result;
        if (f) {
          const what = f.skipped
            ? `skipped (${f.skipped})`
            : f.failed
              ? `failed: ${f.failed.split("\n")[0]}`
              : `${f.rate.toFixed(0)}/s ok, p50 ${f.p50.toFixed(0)} ms, p99 ${f.p99.toFixed(0)} ms${f.successes !== undefined ? `, ${f.successes} successes` : ""}${f.refused ? `, ${f.refused} refused` : ""}${f.errors ? `, ${f.errors} errors` : ""}${f.wrong ? `, ${f.wrong} WRONG` : ""}`;
          console.log(`    ${r.peer.name}: ${what}`);
        }
      }
      return Object.keys(out).length > 0 ? out : undefined;
    },
    report: () =>
      Object.fromEntries(
        running.map((r) => {
          const now = treeCpuSeconds(r.process.pid!);
          return [
            r.peer.name,
            {
              label: r.peer.label,
              repo: r.peer.repo,
              commit: r.peer.commit,
              dir: peerDir(r.peer),
              notes: r.peer.notes,
              bigBookSkipped: r.seeded.bigBookSkipped,
              // CPU the peer used while the others were measured: what "idle" cost.
              idleCpuSeconds: r.cpuAtStart === null || now === null ? null : Number((now - r.cpuAtStart - r.cpuMeasured).toFixed(2)),
            },
          ];
        }),
      ),
    stop: stopAll,
  };
}

/** A peer's figures over the rounds: medians, the sums of refusals, errors and wrong answers, and our rate ÷ its rate. */
export interface PeerSummary {
  rate: number;
  p50: number;
  p99: number;
  refused: number;
  errors: number;
  wrong: number;
  /** the first few errors and wrong answers, as the harness saw them */
  examples: string[];
  successes?: number[];
  serverCpuMsPerRequest: number | null;
  /** median over rounds of (our rate ÷ the peer's rate) in the same round */
  oursOverPeer?: number;
  skipped?: string;
  failed?: string;
}

const median = (xs: number[]) => {
  const sorted = [...xs].sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const middle = sorted.length / 2;
  return Number.isInteger(middle) ? (sorted[middle - 1]! + sorted[middle]!) / 2 : sorted[Math.floor(middle)]!;
};

export function summarizePeers(rounds: { http: { rate: number }; peers?: Record<string, PeerFigures> }[]): Record<string, PeerSummary> | undefined {
  const names = [...new Set(rounds.flatMap((r) => Object.keys(r.peers ?? {})))];
  if (names.length === 0) return undefined;
  return Object.fromEntries(
    names.map((name) => {
      const measured = rounds.filter((r) => r.peers?.[name] && !r.peers[name]!.skipped && !r.peers[name]!.failed);
      const all = rounds.map((r) => r.peers?.[name]).filter((f): f is PeerFigures => f !== undefined);
      if (measured.length === 0) return [name, { rate: NaN, p50: NaN, p99: NaN, refused: 0, errors: 0, wrong: 0, examples: [], serverCpuMsPerRequest: null, skipped: all[0]?.skipped, failed: all.find((f) => f.failed)?.failed }];
      const figures = measured.map((r) => r.peers![name]!);
      const cpu = figures.map((f) => f.serverCpuMsPerRequest);
      const summary: PeerSummary = {
        rate: median(figures.map((f) => f.rate)),
        p50: median(figures.map((f) => f.p50)),
        p99: median(figures.map((f) => f.p99)),
        refused: figures.reduce((s, f) => s + f.refused, 0),
        errors: figures.reduce((s, f) => s + f.errors, 0),
        wrong: figures.reduce((s, f) => s + f.wrong, 0),
        examples: figures.flatMap((f) => f.examples).slice(0, 3),
        ...(figures[0]!.successes !== undefined ? { successes: figures.map((f) => f.successes!) } : {}),
        serverCpuMsPerRequest: cpu.some((c) => c === null) ? null : median(cpu as number[]),
        ...(figures[0]!.successes === undefined ? { oursOverPeer: median(measured.map((r) => r.http.rate / r.peers![name]!.rate)) } : {}),
        ...(all.some((f) => f.failed) ? { failed: all.find((f) => f.failed)!.failed } : {}),
      };
      return [name, summary];
    }),
  );
}

/** The table's extra header cells, one per peer. */
export function peerHeader(labels: { label: string }[]) {
  return { header: labels.map((l) => ` ${l.label} |`).join(""), rule: labels.map(() => " ---: |").join("") };
}

/** One cell per peer: rate and latency, what it got wrong, and how many times faster we were in the same round. */
export function peerCells(labels: { name: string }[], unit: string, peers: Record<string, PeerSummary> | undefined) {
  const ms = (x: number) => (Number.isNaN(x) ? "–" : x >= 100 ? x.toFixed(0) : x.toFixed(1));
  return labels
    .map(({ name }) => {
      const s = peers?.[name];
      if (!s) return " – |";
      if (s.skipped) return ` not run: ${s.skipped} |`;
      if (Number.isNaN(s.rate)) return ` failed: ${(s.failed ?? "").split("\n")[0]!.slice(0, 80)} |`;
      const flags = [
        s.wrong ? `**${s.wrong} wrong**` : "",
        s.errors ? `${s.errors} errors` : "",
        s.refused ? `${s.refused} refused` : "",
        s.failed ? "a round failed" : "",
      ].filter(Boolean);
      const head = s.successes ? `${s.successes.join(" / ")} successes, ${ms(s.p50)} / ${ms(s.p99)} ms` : `${s.rate.toFixed(0)} ${unit}, ${ms(s.p50)} / ${ms(s.p99)} ms`;
      const ratio = s.oursOverPeer !== undefined && Number.isFinite(s.oursOverPeer) ? `, ours ${s.oursOverPeer.toFixed(2)}×` : "";
      return ` ${head}${ratio}${flags.length ? ` (${flags.join(", ")})` : ""} |`;
    })
    .join("");
}
