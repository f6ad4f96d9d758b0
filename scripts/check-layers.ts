import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";

/**
 * `npm run check:layers`: the project's import arrows point one way (DESIGN §2: app → lib → db).
 * Files are grouped by area (`app`, `db`, `inngest`, `scripts`, `components`, each `lib/<capability>`,
 * and `lib` for lib's own files). It fails when
 * - the product's code (tests and test helpers left out) has a cycle between areas;
 * - any file under `lib/` or `db/`, tests included, reaches `app/` through its imports, directly or
 *   not (a test that calls a route handler belongs in `tests/`, its helpers in `testing/`);
 * - the product's code imports a test helper (`testing/` but for the contract's client in `testing/api/`, `db/testing/`);
 * - a "use client" module reaches, through value imports, a module that only runs on the server (the
 *   logger, the database client): the bundle builds, and the page then fails in the browser.
 */
const root = resolve(import.meta.dirname, "..");
const roots = ["app", "components", "db", "inngest", "lib", "scripts", "testing", "tests", "e2e"];
const extensions = [".ts", ".tsx"];

function walk(dir: string, files: string[] = []): string[] {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return files;
  }
  for (const entry of entries) {
    if (entry === "node_modules" || entry.startsWith(".")) continue;
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) walk(path, files);
    else if (extensions.some((ext) => entry.endsWith(ext)) && !entry.endsWith(".d.ts")) files.push(path);
  }
  return files;
}

function resolveImport(from: string, specifier: string): string | undefined {
  let base: string;
  if (specifier.startsWith("@/")) base = join(root, specifier.slice(2));
  else if (specifier.startsWith(".")) base = resolve(dirname(from), specifier);
  else return undefined;
  for (const candidate of [base, ...extensions.map((e) => base + e), ...extensions.map((e) => join(base, "index" + e))]) {
    try {
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      // try the next candidate
    }
  }
  return undefined;
}

/** The area a file belongs to: `lib/<capability>` for lib, the top folder otherwise; lib's own files are `lib`. */
function areaOf(path: string): string {
  const parts = relative(root, path).split("/");
  if (parts[0] === "lib" && parts.length > 2) return `lib/${parts[1]}`;
  return parts[0]!;
}

const importPattern = /(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g;

// testing/api/ is no test helper: the contract's typed client (generated types, request builders),
// which the bench's load generator drives the API with; it is held to the product's rules.
const isTestCode = (path: string) => /\.test\.tsx?$/.test(path) || /^(testing\/(?!api\/)|tests\/|e2e\/|db\/testing\/)/.test(relative(root, path));

// The same, without `import type` / `export type` lines: what a bundler actually pulls in.
const valueImportPattern = /(?:^|\n)\s*(?:import|export)\s(?!type\s)[^;]*?from\s+["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g;
/** Modules that must never reach a browser bundle. */
const SERVER_ONLY = new Set(["lib/log.ts", "db/client.ts"].map((path) => join(root, path)));

const files = roots.flatMap((dir) => walk(join(root, dir)));
const imports = new Map<string, string[]>(); // file → the project files it imports
const valueImports = new Map<string, string[]>();
const clientModules: string[] = [];
for (const file of files) {
  const text = readFileSync(file, "utf8");
  const resolved = (pattern: RegExp) => [...text.matchAll(pattern)].map((m) => resolveImport(file, m[1] ?? m[2]!)).filter((t): t is string => Boolean(t));
  imports.set(file, resolved(importPattern));
  valueImports.set(file, resolved(valueImportPattern));
  if (/^\s*["']use client["']/.test(text)) clientModules.push(file);
}

const edges = new Map<string, Map<string, string>>(); // area → (area it imports → one example "file → file")
const problems: string[] = [];

for (const [file, targets] of imports) {
  if (isTestCode(file)) continue;
  const from = areaOf(file);
  for (const target of targets) {
    if (isTestCode(target)) problems.push(`${relative(root, file)} imports the test helper ${relative(root, target)}`);
    const to = areaOf(target);
    if (from === to) continue;
    const out = edges.get(from) ?? new Map<string, string>();
    if (!out.has(to)) out.set(to, `${relative(root, file)} → ${relative(root, target)}`);
    edges.set(from, out);
  }
}

/** The first chain of imports from `file` to a file under app/, if there is one. */
function pathToApp(file: string, seen = new Set<string>()): string[] | undefined {
  if (areaOf(file) === "app") return [file];
  seen.add(file);
  for (const target of imports.get(file) ?? []) {
    if (seen.has(target)) continue;
    const rest = pathToApp(target, seen);
    if (rest) return [file, ...rest];
  }
  return undefined;
}
for (const file of files) {
  if (!/^(lib|db)\//.test(relative(root, file))) continue;
  const chain = pathToApp(file);
  if (chain) problems.push(`${chain.map((f) => relative(root, f)).join(" → ")} (lib/ and db/ never reach app/)`);
}

/** The first chain of value imports from `file` to a server-only module, if there is one. */
function pathToServerOnly(file: string, seen = new Set<string>()): string[] | undefined {
  if (SERVER_ONLY.has(file)) return [file];
  seen.add(file);
  for (const target of valueImports.get(file) ?? []) {
    if (seen.has(target)) continue;
    const rest = pathToServerOnly(target, seen);
    if (rest) return [file, ...rest];
  }
  return undefined;
}
for (const file of clientModules) {
  if (isTestCode(file)) continue;
  const chain = pathToServerOnly(file);
  if (chain) problems.push(`${chain.map((f) => relative(root, f)).join(" → ")} (a "use client" module reaches server-only code)`);
}

// Tarjan's strongly connected components over the area graph: every component of more than one area is a cycle.
let index = 0;
const indexes = new Map<string, number>();
const lowlinks = new Map<string, number>();
const stack: string[] = [];
const onStack = new Set<string>();
const components: string[][] = [];
function connect(area: string) {
  indexes.set(area, index);
  lowlinks.set(area, index++);
  stack.push(area);
  onStack.add(area);
  for (const next of edges.get(area)?.keys() ?? []) {
    if (!indexes.has(next)) {
      connect(next);
      lowlinks.set(area, Math.min(lowlinks.get(area)!, lowlinks.get(next)!));
    } else if (onStack.has(next)) lowlinks.set(area, Math.min(lowlinks.get(area)!, indexes.get(next)!));
  }
  if (lowlinks.get(area) === indexes.get(area)) {
    const component: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      component.push(member);
    } while (member !== area);
    if (component.length > 1) components.push(component.sort());
  }
}
for (const area of [...edges.keys()].sort()) if (!indexes.has(area)) connect(area);

for (const component of components) {
  const inside = new Set(component);
  const links = component.flatMap((from) => [...(edges.get(from) ?? [])].filter(([to]) => inside.has(to)).map(([to, example]) => `    ${from} → ${to}: ${example}`));
  problems.push(`cycle among ${component.join(", ")}:\n${links.join("\n")}`);
}

if (problems.length > 0) {
  console.error(`Layer check failed (${problems.length}):\n${problems.map((p) => `- ${p}`).join("\n")}`);
  process.exit(1);
}
console.log(`Layer check: ${files.length} files, ${edges.size} areas: no cycle between areas, nothing under lib/ or db/ reaches app/, no client module reaches server-only code (${clientModules.length} client modules)`);
