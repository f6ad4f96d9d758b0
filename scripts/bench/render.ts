import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import { createRequire } from "node:module";
import net from "node:net";
import path from "node:path";
import type { Db } from "@/db/client";
import { users } from "@/db/schema";
import { hashPassword } from "@/lib/auth/passwords";

/**
 * `npm run bench -- --render`: the seller console's first paint over HTTP (with `--dashboard-1m`:
 * the ops dashboard's), on the production build
 * (`npm run build` first; the bench never builds). A `next start` of that build on a free loopback
 * port and the bench's database, a seller of the bench's business signed in through the real
 * credentials flow, then each page requested one at a time: one warm-up request, then RUNS timed
 * ones, each checked (200, and the content the page must show) so that a redirect or an error page
 * can't pass for a fast render.
 */

// 20, not 10: on a shared 2-core VM single requests vary by 2–3×, and the median needs the extra samples.
const RUNS = 20;
const PASSWORD = "bench-password-0123";
const root = process.cwd();

export interface PageCheck {
  label: string;
  path: string;
  /** Why the body is not the page (null when it is): a sign-in page or an error page also answer 200 once streaming has begun. */
  problem: (html: string) => string | null;
}

export interface RenderFigures {
  label: string;
  path: string;
  runs: number;
  /** The warm-up request: the route's first render in this server process. */
  coldMs: number;
  firstByte: { median: number; max: number };
  full: { median: number; max: number };
  kib: number;
}

/** What the server runs: the standalone server (output: "standalone") or `next start`, as `npm start` does; null without a build. */
export function productionBuild(): { command: string[]; builtAt: Date } | null {
  const buildId = path.join(root, ".next", "BUILD_ID");
  if (!fs.existsSync(buildId)) return null;
  const standalone = path.join(root, ".next", "standalone", "server.js");
  const builtAt = fs.statSync(buildId).mtime;
  if (fs.existsSync(standalone)) return { command: [process.execPath, standalone], builtAt };
  return { command: [process.execPath, createRequire(import.meta.url).resolve("next/dist/bin/next"), "start"], builtAt };
}

/** A free loopback port for a server the bench starts (ours or a peer's). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The environment our production server runs with on a loopback port (and `extraEnv`): throwaway secrets, demo accounts allowed. */
export function productionServerEnv(databaseUrl: string, port: number, extraEnv: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    DATABASE_URL: databaseUrl,
    NODE_ENV: "production",
    NEXT_TELEMETRY_DISABLED: "1",
    PORT: String(port),
    HOSTNAME: "127.0.0.1",
    // A production server refuses to start without its secrets; these live as long as this server.
    AUTH_SECRET: randomBytes(33).toString("base64"),
    CODE_HASH_SECRET: randomBytes(33).toString("base64"),
    // The bench database may hold the demo data (a loopback server that lives for a minute).
    ALLOW_DEMO_ACCOUNTS: "1",
    ...extraEnv,
  };
}

/** Stops a server the bench started: `signal`, then SIGKILL if it has not exited within `graceMs`. */
export function stopper(child: ChildProcess, signal: NodeJS.Signals, graceMs: number) {
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const running = () => child.exitCode === null && child.signalCode === null;
  return async () => {
    if (running()) child.kill(signal);
    await Promise.race([exited, sleep(graceMs)]);
    if (running()) child.kill("SIGKILL");
  };
}

export interface BenchServer {
  baseUrl: string;
  /** The server process (its CPU time is read from /proc by bench:http). */
  pid: number | undefined;
  stop: () => Promise<void>;
}

/** The production server on a free loopback port and `databaseUrl`, with throwaway secrets (and `extraEnv`); resolves once /api/health answers. */
export async function startServer(databaseUrl: string, extraEnv: Record<string, string> = {}): Promise<BenchServer> {
  const build = productionBuild();
  if (!build) throw new Error("No production build found (.next/BUILD_ID): run `npm run build` first.");
  const port = await freePort();
  const env = productionServerEnv(databaseUrl, port, extraEnv);
  const [command, ...args] = build.command;
  const child: ChildProcess = spawn(command!, [...args, ...(args.at(-1) === "start" ? ["-p", String(port), "-H", "127.0.0.1"] : [])], {
    env,
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr!.on("data", (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  const stop = stopper(child, "SIGTERM", 10_000);
  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`The server exited (${child.exitCode}) before answering:\n${stderr}`);
    try {
      if ((await fetch(`${baseUrl}/api/health`)).ok) return { baseUrl, pid: child.pid, stop };
    } catch {
      // not listening yet
    }
    await sleep(200);
  }
  await stop();
  throw new Error(`The server did not answer /api/health within 60 s:\n${stderr}`);
}

/** `name=value` of every Set-Cookie of a response, merged over `jar`. */
function remember(jar: Map<string, string>, response: Response) {
  for (const line of response.headers.getSetCookie()) {
    const [pair] = line.split(";");
    const at = pair!.indexOf("=");
    jar.set(pair!.slice(0, at), pair!.slice(at + 1));
  }
}

const cookieHeader = (jar: Map<string, string>) => [...jar].map(([name, value]) => `${name}=${value}`).join("; ");

/**
 * A user with a password, signed in as a browser would: Auth.js's CSRF token, then the credentials
 * callback. Returns the Cookie header of the session.
 */
async function signIn(db: Db, baseUrl: string, user: { email: string; name: string; role: "seller" | "ops"; businessId: string | null }, landing: string) {
  await db.insert(users).values({ ...user, passwordHash: await hashPassword(PASSWORD) });
  const jar = new Map<string, string>();
  const csrf = await fetch(`${baseUrl}/api/auth/csrf`);
  remember(jar, csrf);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const signedIn = await fetch(`${baseUrl}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: cookieHeader(jar) },
    body: new URLSearchParams({ csrfToken, email: user.email, password: PASSWORD, callbackUrl: `${baseUrl}${landing}` }),
  });
  remember(jar, signedIn);
  if (![...jar.keys()].some((name) => name.endsWith("authjs.session-token"))) {
    throw new Error(`Sign-in gave no session cookie (${signedIn.status} → ${signedIn.headers.get("location")})`);
  }
  return cookieHeader(jar);
}

/** A seller of `businessId`, signed in: the Cookie header of the session. */
export function signInSeller(db: Db, baseUrl: string, businessId: string, runTag: string): Promise<string> {
  return signIn(db, baseUrl, { email: `bench-seller-${runTag}@bench.test`, name: "Bench seller", role: "seller", businessId }, "/seller");
}

/** The e-mail of the operator signInOps creates (an ops user belongs to no business: the caller deletes it). */
export const benchOpsEmail = (runTag: string) => `bench-ops-${runTag}@bench.test`;

/** An operator (role ops), signed in: the Cookie header of the session. */
export function signInOps(db: Db, baseUrl: string, runTag: string): Promise<string> {
  return signIn(db, baseUrl, { email: benchOpsEmail(runTag), name: "Bench ops", role: "ops", businessId: null }, "/ops");
}

/** One GET: milliseconds to the first body byte and to the end of the body, the status and the body. */
function timedGet(url: string, cookie: string): Promise<{ status: number; firstByte: number; full: number; body: string }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    let firstByte = 0;
    const request = http.get(url, { headers: { cookie, accept: "text/html" } }, (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => {
        if (chunks.length === 0) firstByte = performance.now() - started;
        chunks.push(chunk);
      });
      response.on("end", () =>
        resolve({ status: response.statusCode ?? 0, firstByte, full: performance.now() - started, body: Buffer.concat(chunks).toString("utf8") }),
      );
      response.on("error", reject);
    });
    request.on("error", reject);
  });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Each page: one warm-up request, then RUNS timed ones in a row; a wrong status or body stops the bench. */
export async function timePages(baseUrl: string, cookie: string, pages: PageCheck[]): Promise<RenderFigures[]> {
  const figures: RenderFigures[] = [];
  for (const page of pages) {
    const get = async () => {
      const result = await timedGet(`${baseUrl}${page.path}`, cookie);
      const problem = result.status === 200 ? page.problem(result.body) : `status ${result.status}`;
      if (problem) throw new Error(`${page.path}: ${problem}`);
      return result;
    };
    const cold = await get();
    const firstBytes: number[] = [];
    const fulls: number[] = [];
    let bytes = 0;
    for (let run = 0; run < RUNS; run++) {
      const result = await get();
      firstBytes.push(result.firstByte);
      fulls.push(result.full);
      bytes = Buffer.byteLength(result.body);
    }
    figures.push({
      label: page.label,
      path: page.path,
      runs: RUNS,
      coldMs: cold.full,
      firstByte: { median: median(firstBytes), max: Math.max(...firstBytes) },
      full: { median: median(fulls), max: Math.max(...fulls) },
      kib: bytes / 1024,
    });
    console.log(`${page.label}: first byte ${median(firstBytes).toFixed(0)} ms, full HTML ${median(fulls).toFixed(0)} ms (median of ${RUNS})`);
  }
  return figures;
}

export function printRender(figures: RenderFigures[]) {
  console.log(`| page | runs | first byte median | first byte max | full HTML median | full HTML max | HTML | warm-up request |`);
  console.log(`| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |`);
  for (const f of figures) {
    const ms = (x: number) => `${x.toFixed(0)} ms`;
    console.log(
      `| ${f.label} (\`${f.path.replace(/[0-9a-f-]{36}/, ":id")}\`) | ${f.runs} | ${ms(f.firstByte.median)} | ${ms(f.firstByte.max)} | ${ms(f.full.median)} | ${ms(f.full.max)} | ${f.kib.toFixed(0)} KiB | ${ms(f.coldMs)} |`,
    );
  }
}
