import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

/**
 * pgbench (the system's, /usr/bin/pgbench or PGBENCH) on one of the committed scripts of
 * bench/sql/, with the same client count as the HTTP phase it is compared with, bounded by
 * transaction count (-t), never by time, so that a workload that consumes codes never runs dry.
 */

export const PGBENCH = process.env.PGBENCH ?? "/usr/bin/pgbench";

export const pgbenchAvailable = () => fs.existsSync(PGBENCH);

export interface PgbenchResult {
  script: string;
  clients: number;
  transactions: number;
  tps: number;
  /** latency average, ms (pgbench's own figure) */
  latencyAvgMs: number;
  p50: number;
  p99: number;
  failed: number;
}

const sqlDir = path.join(process.cwd(), "bench", "sql");

/** Whether bench/sql/ holds `script`: workloads whose scripts are not committed yet run without pgbench. */
export const pgbenchScriptExists = (script: string) => fs.existsSync(path.join(sqlDir, script));

/**
 * Runs `script` (a file of bench/sql/) with `clients` clients, `perClient` transactions each, and
 * `variables` passed as -D; per-transaction latencies come from pgbench's log (-l), so p50/p99 are
 * exact, as for the HTTP phases.
 */
export async function runPgbench(
  databaseUrl: string,
  script: string,
  options: { clients: number; perClient: number; variables: Record<string, string | number> },
): Promise<PgbenchResult> {
  const logDir = fs.mkdtempSync(path.join(process.env.TMPDIR ?? "/tmp", "bench-http-pgbench-"));
  const args = [
    "--no-vacuum",
    "--protocol=extended",
    `--client=${options.clients}`,
    `--jobs=${Math.min(options.clients, 2)}`,
    `--transactions=${options.perClient}`,
    `--file=${path.join(sqlDir, script)}`,
    "--log",
    `--log-prefix=${path.join(logDir, "tx")}`,
    ...Object.entries(options.variables).map(([name, value]) => `--define=${name}=${value}`),
    databaseUrl,
  ];
  const runOnce = () => new Promise<string>((resolve, reject) => {
    const child = spawn(PGBENCH, args, { stdio: ["ignore", "pipe", "pipe"] });
    let text = "";
    child.stdout.on("data", (chunk: Buffer) => (text += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (text += chunk.toString()));
    child.on("error", reject);
    child.on("exit", (code) => (code === 0 ? resolve(text) : reject(new Error(`pgbench ${script} exited ${code}:\n${text.slice(-3000)}`))));
  });
  // A shared server can be out of connection slots for a moment (other test suites): that is no
  // result, so wait and try again, a few times, before failing the run.
  let output = "";
  for (let attempt = 1; ; attempt++) {
    try {
      output = await runOnce();
      break;
    } catch (error) {
      if (attempt >= 4 || !/too many clients|could not create connection/.test((error as Error).message)) throw error;
      console.warn(`pgbench ${script}: no connection slot (attempt ${attempt}), retrying in 5 s`);
      fs.rmSync(logDir, { recursive: true, force: true });
      fs.mkdirSync(logDir);
      await new Promise((resolve) => setTimeout(resolve, 5_000));
    }
  }
  const latencies: number[] = [];
  let failed = 0;
  for (const file of fs.readdirSync(logDir)) {
    for (const line of fs.readFileSync(path.join(logDir, file), "utf8").split("\n")) {
      // client_id transaction_no time script_no time_epoch time_us [schedule_lag]
      const fields = line.split(" ");
      if (fields.length < 6) continue;
      if (fields[2] === "failed" || fields[2] === "skipped") failed++;
      else latencies.push(Number(fields[2]) / 1000);
    }
  }
  fs.rmSync(logDir, { recursive: true, force: true });
  latencies.sort((a, b) => a - b);
  const number = (pattern: RegExp) => Number(pattern.exec(output)?.[1] ?? NaN);
  const at = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? NaN;
  const result: PgbenchResult = {
    script,
    clients: options.clients,
    transactions: number(/number of transactions actually processed: (\d+)/),
    tps: number(/tps = ([\d.]+) \(without initial connection time\)/),
    latencyAvgMs: number(/latency average = ([\d.]+) ms/),
    p50: at(50),
    p99: at(99),
    failed: failed + (number(/number of failed transactions: (\d+)/) || 0),
  };
  if (!(result.transactions > 0) || Number.isNaN(result.tps)) throw new Error(`pgbench ${script}: no result in\n${output.slice(-3000)}`);
  if (result.failed > 0) throw new Error(`pgbench ${script}: ${result.failed} failed transactions`);
  return result;
}
