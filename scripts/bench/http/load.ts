import http from "node:http";

/**
 * The in-process load generator of `npm run bench:http`: closed-loop workers over keep-alive
 * sockets (node:http, one Agent per phase, one socket per worker), each sending its next request as
 * soon as the previous answer has been read. No dependency: the same generator drives every system
 * measured side by side, so the client's own cost is the same for all of them.
 */

export interface Call {
  method: "POST" | "GET";
  path: string;
  headers?: Record<string, string>;
  body?: unknown;
}

export interface Answer {
  status: number;
  body: string;
}

export interface PhaseResult {
  /** Sequences completed (one request each, or a lock then a redeem). */
  requests: number;
  seconds: number;
  /** Answers by status code, every step counted. */
  statuses: Record<string, number>;
  /** Latency of each step of every sequence, sorted, in milliseconds (latencies[0]: the first request). */
  latencies: number[][];
  /** Latency of whole sequences, sorted (the same as latencies[0] for one-request sequences). */
  sequenceLatencies: number[];
}

function send(agent: http.Agent, baseUrl: URL, call: Call): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const payload = call.body === undefined ? undefined : Buffer.from(JSON.stringify(call.body));
    const request = http.request(
      {
        agent,
        host: baseUrl.hostname,
        port: baseUrl.port,
        method: call.method,
        path: call.path,
        headers: {
          ...(payload ? { "content-type": "application/json", "content-length": String(payload.length) } : {}),
          ...call.headers,
        },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("end", () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }));
        response.on("error", reject);
      },
    );
    request.on("error", reject);
    request.end(payload);
  });
}

/**
 * `total` sequences from `concurrency` workers; `calls(n)` builds the n-th sequence of requests
 * (0-based, each n once, its steps sent one after another on the same worker) and
 * `check(n, step, answer)` throws on a wrong answer: the phase then fails, since a fast wrong answer
 * must not pass for throughput, and so does a request that gets no answer. Bounded by count and by
 * `timeoutMs` (a phase cut by the timeout reports the sequences it completed).
 */
export async function runPhase(
  baseUrl: string,
  options: { total: number; concurrency: number; timeoutMs: number },
  calls: (n: number) => Call[],
  check: (n: number, step: number, answer: Answer) => void,
): Promise<PhaseResult> {
  const url = new URL(baseUrl);
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.concurrency });
  const latencies: number[][] = [];
  const sequenceLatencies: number[] = [];
  const statuses: Record<string, number> = {};
  let issued = 0;
  const problems: string[] = [];
  const deadline = Date.now() + options.timeoutMs;
  const worker = async () => {
    while (issued < options.total && Date.now() < deadline && problems.length === 0) {
      const n = issued++;
      const sequenceStarted = performance.now();
      try {
        for (const [step, call] of calls(n).entries()) {
          const started = performance.now();
          const answer = await send(agent, url, call);
          (latencies[step] ??= []).push(performance.now() - started);
          statuses[answer.status] = (statuses[answer.status] ?? 0) + 1;
          check(n, step, answer);
        }
        sequenceLatencies.push(performance.now() - sequenceStarted);
      } catch (error) {
        if (problems.length < 5) problems.push(`sequence ${n}: ${(error as Error).message}`);
      }
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  if (problems.length > 0) throw new Error(`wrong answers under load:\n${problems.join("\n")}`);
  for (const step of latencies) step.sort((a, b) => a - b);
  sequenceLatencies.sort((a, b) => a - b);
  return { requests: sequenceLatencies.length, seconds, statuses, latencies, sequenceLatencies };
}

export function percentile(sorted: number[], p: number) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}
