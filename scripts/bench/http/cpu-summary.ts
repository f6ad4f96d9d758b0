import fs from "node:fs";
import path from "node:path";

/**
 * Where a server's CPU goes, from the .cpuprofile that `cpu.ts --profile DIR` had V8 write:
 *
 *   npx tsx scripts/bench/http/cpu-summary.ts DIR/<label> [--phase assign] [--top 40] [--windows DIR/windows.json]
 *
 * Only samples inside the measured phases count (windows.json: CLOCK_MONOTONIC microseconds, the
 * clock of V8's profile timestamps), so start-up and warm-up stay out. Prints self time by
 * category (package or part of the app), by function (with a few characters of the source at the
 * function for minified bundles, which is how a webpack chunk's function is told apart), and the
 * inclusive time of the frames that matter to the request path.
 */

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  children?: number[];
}
interface Profile {
  nodes: Node[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}
interface Window {
  server: string;
  phase: string;
  startUs: number;
  endUs: number;
  requests: number;
}

const args = process.argv.slice(2);
const value = (name: string) => {
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1] : undefined;
};
const dir = args.find((a, i) => !a.startsWith("--") && !args[i - 1]?.startsWith("--"));
if (!dir) throw new Error("usage: cpu-summary.ts DIR/<label> [--phase P] [--top N] [--windows FILE]");
const label = path.basename(dir);
const top = Number(value("--top") ?? 40);
const phase = value("--phase");
const windowsFile = value("--windows") ?? path.join(path.dirname(dir), "windows.json");
const windows = (JSON.parse(fs.readFileSync(windowsFile, "utf8")) as Window[]).filter((w) => w.server === label && (!phase || w.phase === phase));
const requests = windows.reduce((sum, w) => sum + w.requests, 0);

const files = fs.readdirSync(dir).filter((f) => f.endsWith(".cpuprofile"));
if (files.length === 0) throw new Error(`no .cpuprofile in ${dir}`);

/** What a frame belongs to, by its script. */
function category(node: Node): string {
  const { url, functionName } = node.callFrame;
  if (!url) {
    if (functionName.startsWith("(")) return functionName; // (garbage collector), (program), (idle)
    return `native: ${functionName || "(anonymous)"}`;
  }
  const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (nm) {
    if (nm[1] === "next") {
      const compiled = /next\/dist\/compiled\/((?:@[^/]+\/)?[^/]+)/.exec(url);
      return compiled ? `next (compiled ${compiled[1]})` : `next (${url.split("/next/dist/")[1]?.split("/").slice(0, 2).join("/") ?? "?"})`;
    }
    return nm[1]!;
  }
  if (url.startsWith("node:")) return url.replace(/^node:/, "node:").split("/").slice(0, 2).join("/");
  if (/\.next\/server\/chunks\//.test(url)) return "app chunks (.next/server/chunks)";
  if (/\.next\/server\/app\//.test(url)) return "app routes (.next/server/app)";
  if (/\.next\/server\//.test(url)) return "next server bundle (.next/server)";
  return url;
}

const sources = new Map<string, string[]>();
/** A few characters of source at the frame (minified bundles have meaningless names). */
function snippet(url: string, line: number, column: number): string {
  if (!url.startsWith("file://") && !url.startsWith("/")) return "";
  const file = url.replace(/^file:\/\//, "");
  if (!sources.has(file)) {
    try {
      sources.set(file, fs.readFileSync(file, "utf8").split("\n"));
    } catch {
      sources.set(file, []);
    }
  }
  const text = sources.get(file)![line] ?? "";
  return text.slice(Math.max(0, column - 10), column + 90).replace(/\s+/g, " ");
}

const selfByCategory = new Map<string, number>();
const selfByFunction = new Map<string, { us: number; node: Node }>();
const inclusive = new Map<string, number>();
let totalUs = 0;
let profiledUs = 0;

for (const file of files) {
  const profile = JSON.parse(fs.readFileSync(path.join(dir, file), "utf8")) as Profile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  profiledUs += profile.endTime - profile.startTime;
  let t = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    const delta = profile.timeDeltas[i] ?? 0;
    t += delta;
    const next = profile.timeDeltas[i + 1] ?? 0;
    if (!windows.some((w) => t >= w.startUs && t < w.endUs)) continue;
    const node = byId.get(profile.samples[i]!)!;
    if (node.callFrame.functionName === "(idle)") continue;
    // A sample stands for the time until the next one.
    const us = next > 0 ? next : delta;
    totalUs += us;
    const cat = category(node);
    selfByCategory.set(cat, (selfByCategory.get(cat) ?? 0) + us);
    const { functionName, url, lineNumber, columnNumber } = node.callFrame;
    const key = `${functionName || "(anonymous)"} ${url.replace(/^.*\/(node_modules|\.next)\//, "$1/")}:${lineNumber + 1}:${columnNumber + 1}`;
    const entry = selfByFunction.get(key) ?? { us: 0, node };
    entry.us += us;
    selfByFunction.set(key, entry);
    // Inclusive time per category and per named frame, each counted once per sample.
    const seen = new Set<string>();
    for (let at: number | undefined = node.id; at !== undefined; at = parent.get(at)) {
      const frame = byId.get(at)!;
      for (const k of [`[${category(frame)}]`, frame.callFrame.functionName && frame.callFrame.functionName.length > 2 ? frame.callFrame.functionName : ""]) {
        if (!k || seen.has(k)) continue;
        seen.add(k);
        inclusive.set(k, (inclusive.get(k) ?? 0) + us);
      }
    }
  }
}

const pct = (us: number) => `${((us / totalUs) * 100).toFixed(1).padStart(5)} %`;
const perReq = (us: number) => `${(us / 1000 / Math.max(1, requests)).toFixed(3)} ms/req`;
console.log(`${label}${phase ? ` ${phase}` : ""}: ${files.length} profile(s), ${(profiledUs / 1e6).toFixed(1)} s profiled, ${(totalUs / 1e6).toFixed(2)} s busy in ${windows.length} window(s), ${requests} requests → ${perReq(totalUs)} (profiler overhead included)`);
console.log("\nself time by category:");
for (const [cat, us] of [...selfByCategory].sort((a, b) => b[1] - a[1]).slice(0, 30)) console.log(`  ${pct(us)}  ${perReq(us)}  ${cat}`);
console.log(`\nself time by function (top ${top}):`);
for (const [key, { us, node }] of [...selfByFunction].sort((a, b) => b[1].us - a[1].us).slice(0, top)) {
  const code = snippet(node.callFrame.url, node.callFrame.lineNumber, node.callFrame.columnNumber);
  console.log(`  ${pct(us)}  ${key}${code ? `\n            ${code}` : ""}`);
}
console.log("\ninclusive time by category:");
for (const [k, us] of [...inclusive].filter(([k]) => k.startsWith("[")).sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log(`  ${pct(us)}  ${k}`);
console.log(`\ninclusive time by named frame (top ${top}):`);
for (const [k, us] of [...inclusive].filter(([k]) => !k.startsWith("[")).sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`  ${pct(us)}  ${k}`);
