import type { Db } from "@/db/client";
import { percentile, type Answer, type PhaseResult } from "./load";
import type { PgbenchResult } from "./pgbench";
import { postgresCpuSeconds, treeCpuSeconds } from "./proc";
import type { Seeded } from "./seed";

/**
 * What a workload of `npm run bench:http` is and how its HTTP figures are taken, shared by run.ts
 * and the phase modules (internal.ts, ops-reads.ts).
 */

/** The client counts lock then redeem runs at (ours, pgbench's and the peers'): issue 15's targets are at both. */
export const LOCK_REDEEM_CONCURRENCY = [8, 32] as const;

export interface Cpu {
  server: number | null;
  postgres: number | null;
}

export function cpuNow(serverPid: number | undefined): Cpu {
  return { server: serverPid ? treeCpuSeconds(serverPid) : null, postgres: postgresCpuSeconds() };
}

/** Milliseconds of CPU per request between two readings. */
function cpuPer(before: Cpu, after: Cpu, count: number) {
  const per = (a: number | null, b: number | null) => (a === null || b === null || count === 0 ? null : ((b - a) * 1000) / count);
  return { serverMs: per(before.server, after.server), postgresMs: per(before.postgres, after.postgres) };
}

export interface HttpFigures {
  requests: number;
  seconds: number;
  rate: number;
  p50: number;
  p99: number;
  /** per step of a sequence (lock, redeem), when there are several */
  steps?: { p50: number; p99: number }[];
  statuses: Record<string, number>;
  serverCpuMsPerRequest: number | null;
  postgresCpuMsPerRequest: number | null;
  successes?: number;
}

export interface Workload {
  id: string;
  label: string;
  concurrency: number;
  /** "req/s", or "pairs/s" for two-request sequences */
  unit: string;
  /** Names of the steps of a sequence (e.g. lock, redeem), for the table. */
  stepNames?: string[];
  http: (round: number) => Promise<HttpFigures>;
  sql?: { exact: string; minimal: string; run: (script: string, round: number, which: "exact" | "minimal") => Promise<PgbenchResult> };
  after?: () => Promise<void>;
  /** Requests before the first round, not recorded (the route's first compile and JIT). */
  warm?: () => Promise<void>;
}

/** What a phase module needs to build its workloads: the bench database, the server, the seed. */
export interface PhaseContext {
  db: Db;
  /** The bench database's URL (pgbench's). */
  databaseUrl: string;
  baseUrl: string;
  serverPid: number | undefined;
  seeded: Seeded;
  runTag: string;
  timeoutMs: number;
}

export function expectStatus(expected: number, answer: Answer) {
  if (answer.status !== expected) throw new Error(`status ${answer.status} (expected ${expected}): ${answer.body.slice(0, 300)}`);
}

export function httpFigures(result: PhaseResult, before: Cpu, after: Cpu, requestsPerSequence: number): HttpFigures {
  const cpu = cpuPer(before, after, result.requests * requestsPerSequence);
  return {
    requests: result.requests,
    seconds: result.seconds,
    rate: result.requests / result.seconds,
    p50: percentile(result.sequenceLatencies, 50),
    p99: percentile(result.sequenceLatencies, 99),
    ...(result.latencies.length > 1 ? { steps: result.latencies.map((l) => ({ p50: percentile(l, 50), p99: percentile(l, 99) })) } : {}),
    statuses: result.statuses,
    serverCpuMsPerRequest: cpu.serverMs,
    postgresCpuMsPerRequest: cpu.postgresMs,
  };
}
