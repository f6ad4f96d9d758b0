#!/usr/bin/env node
// Checks what promtool cannot know: that the rules and the Grafana dashboard query only metrics the
// app exports (read from lib/metrics/registry.ts, so a renamed metric fails here), that every alert
// has a severity, a runbook_url whose file and heading exist, and a firing and a non-firing case in
// the promtool tests, and that the docs' links into deploy/ resolve.
// Usage: node deploy/prometheus/check-promql.mjs   (from the repository root; no dependencies)
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const read = (path) => readFileSync(join(root, path), "utf8");
const problems = [];
const fail = (message) => problems.push(message);

// --- What the app exports -------------------------------------------------------------------------
const registry = read("lib/metrics/registry.ts");
const exported = new Set(["up"]); // `up` is written by Prometheus for every scrape target
for (const [, kind, name] of registry.matchAll(/new (Counter|Gauge|Histogram)\(\{\s*name:\s*"([a-zA-Z_:][\w:]*)"/g)) {
  exported.add(name);
  if (kind === "Histogram") for (const suffix of ["_bucket", "_sum", "_count"]) exported.add(name + suffix);
}
for (const [, name] of registry.matchAll(/fromDatabase\(\s*"(?:counter|gauge)",\s*"([a-zA-Z_:][\w:]*)"/g)) exported.add(name);
// A pattern that stopped matching (the registry was rewritten) must not pass every query as unknown.
for (const name of ["http_request_duration_seconds_bucket", "promo_attempts_total", "promo_reservation_leaks"]) {
  if (!exported.has(name)) fail(`lib/metrics/registry.ts: could not find ${name}; update the patterns in this script`);
}

// --- PromQL: the metric names an expression selects --------------------------------------------------
const KEYWORDS = new Set(["and", "or", "unless", "by", "without", "on", "ignoring", "group_left", "group_right", "offset", "bool", "atan2", "inf", "nan"]);
function metricNames(expr) {
  // A selector by {__name__=...} would slip past the check: report it as an unknown name.
  const names = /__name__/.test(expr) ? ["__name__"] : [];
  const text = expr
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, '""') // strings (label values, regexes)
    .replace(/\{[^}]*\}/g, "") // label matchers
    .replace(/\[[^\]]*\]/g, "") // ranges and subqueries (Grafana's $__rate_interval too)
    .replace(/\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, " ") // label lists
    .replace(/\blabel_values\(\s*([^,()]+),\s*\w+\s*\)/g, "$1") // Grafana variable query: (metric, label)
    .replace(/\$\{?\w+\}?/g, " "); // other Grafana variables
  for (const match of text.matchAll(/(?<![\w.:])([a-zA-Z_:][\w:]*)(\s*\()?/g)) {
    const [, name, call] = match;
    if (call || KEYWORDS.has(name.toLowerCase())) continue; // a function, an aggregation or a keyword
    names.push(name);
  }
  return names;
}

// --- Rules files (our own layout: `- record:`/`- alert:` items, `expr:` on one line or a `|` block) --
const rulesDir = "deploy/prometheus/rules";
const rules = []; // { file, kind, name, expr, block }
for (const file of readdirSync(join(root, rulesDir)).filter((f) => f.endsWith(".yml")).sort()) {
  const path = `${rulesDir}/${file}`;
  const lines = read(path).split("\n");
  let current = null;
  for (let i = 0; i < lines.length; i++) {
    const item = /^\s*- (record|alert):\s*(\S+)/.exec(lines[i]);
    if (item) {
      current = { file: path, kind: item[1], name: item[2], expr: null, block: [] };
      rules.push(current);
    }
    if (!current) continue;
    current.block.push(lines[i]);
    const expr = /^(\s*)expr:\s*(.*)$/.exec(lines[i]);
    if (!expr) continue;
    if (expr[2].trim() === "|") {
      const body = [];
      while (i + 1 < lines.length && (lines[i + 1].trim() === "" || lines[i + 1].search(/\S/) > expr[1].length)) body.push(lines[++i]);
      current.expr = body.join("\n");
    } else current.expr = expr[2];
  }
}
const exprCount = rules.filter((rule) => rule.expr !== null).length;
if (rules.length === 0 || exprCount !== rules.length) fail(`${rulesDir}: found ${rules.length} rules but ${exprCount} expressions`);
const recorded = new Set(rules.filter((rule) => rule.kind === "record").map((rule) => rule.name));
const known = (name) => exported.has(name) || recorded.has(name);

for (const rule of rules) {
  for (const name of metricNames(rule.expr ?? "")) {
    if (!known(name)) fail(`${rule.file}: ${rule.kind} ${rule.name} uses ${name}, which /api/metrics does not export`);
  }
}

// --- Alerts: severity, runbook_url and its heading -------------------------------------------------
const slug = (heading) =>
  heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, "")
    .replace(/\s/g, "-");
const anchorsOf = new Map();
const anchors = (file) => {
  if (!anchorsOf.has(file)) {
    const text = read(file).replace(/```[\s\S]*?```/g, "");
    anchorsOf.set(file, new Set([...text.matchAll(/^#{1,6}\s+(.+)$/gm)].map(([, heading]) => slug(heading))));
  }
  return anchorsOf.get(file);
};
const alerts = rules.filter((rule) => rule.kind === "alert");
for (const alert of alerts) {
  const block = alert.block.join("\n");
  if (!/^\s*severity:\s*(critical|warning)\s*$/m.test(block)) fail(`${alert.file}: alert ${alert.name} has no severity: critical|warning label`);
  const url = /^\s*runbook_url:\s*(\S+)\s*$/m.exec(block)?.[1];
  if (!url) {
    fail(`${alert.file}: alert ${alert.name} has no runbook_url annotation`);
    continue;
  }
  const [file, anchor] = url.split("#");
  if (!/^docs\/runbooks\/[\w.-]+\.md$/.test(file) || !existsSync(join(root, file))) fail(`${alert.file}: alert ${alert.name}: runbook_url ${url} is not a file under docs/runbooks/`);
  else if (!anchor || !anchors(file).has(anchor)) fail(`${alert.file}: alert ${alert.name}: ${file} has no heading #${anchor}`);
}

// --- Tests: a firing and a non-firing case for every alert ------------------------------------------
const testsDir = "deploy/prometheus/tests";
const cases = new Map(alerts.map((alert) => [alert.name, { firing: 0, silent: 0 }]));
for (const file of readdirSync(join(root, testsDir)).filter((f) => f.endsWith(".yml"))) {
  const lines = read(`${testsDir}/${file}`).split("\n");
  lines.forEach((line, i) => {
    const name = /^\s*alertname:\s*(\S+)/.exec(line)?.[1];
    if (!name) return;
    const next = lines.slice(i + 1).find((l) => l.trim() !== "") ?? "";
    const entry = cases.get(name);
    if (!entry) return fail(`${testsDir}/${file}: tests ${name}, which no rules file defines`);
    if (/exp_alerts:\s*\[\]/.test(next)) entry.silent++;
    else if (/exp_alerts:\s*$/.test(next)) entry.firing++;
  });
}
for (const [name, { firing, silent }] of cases) {
  if (!firing || !silent) fail(`${testsDir}: alert ${name} needs a firing and a non-firing case (has ${firing} and ${silent})`);
}

// --- Grafana dashboard ---------------------------------------------------------------------------------
const dashboardPath = "deploy/grafana/coupon-platform.json";
let dashboard;
try {
  dashboard = JSON.parse(read(dashboardPath));
} catch (error) {
  fail(`${dashboardPath}: not valid JSON (${error.message})`);
}
if (dashboard) {
  if (!(dashboard.schemaVersion >= 39)) fail(`${dashboardPath}: schemaVersion ${dashboard.schemaVersion} < 39`);
  const variables = dashboard.templating?.list ?? [];
  const source = variables.find((v) => v.type === "datasource" && v.query === "prometheus");
  if (!source) fail(`${dashboardPath}: no Prometheus datasource template variable`);
  const viaVariable = (ds) => ds?.type === "prometheus" && ds?.uid === `\${${source?.name}}`;
  const exprs = [];
  for (const variable of variables.filter((v) => v.type === "query")) {
    if (!viaVariable(variable.datasource)) fail(`${dashboardPath}: variable ${variable.name} does not use the datasource variable`);
    exprs.push([`variable ${variable.name}`, typeof variable.query === "string" ? variable.query : variable.query?.query ?? ""]);
  }
  const panels = (dashboard.panels ?? []).flatMap((panel) => [panel, ...(panel.panels ?? [])]);
  const ids = new Set();
  for (const panel of panels) {
    if (ids.has(panel.id)) fail(`${dashboardPath}: panel id ${panel.id} used twice`);
    ids.add(panel.id);
    if (panel.type === "row") continue;
    if (!viaVariable(panel.datasource)) fail(`${dashboardPath}: panel "${panel.title}" does not use the datasource variable`);
    if (!panel.targets?.length) fail(`${dashboardPath}: panel "${panel.title}" has no query`);
    for (const target of panel.targets ?? []) {
      if (!viaVariable(target.datasource ?? panel.datasource)) fail(`${dashboardPath}: panel "${panel.title}" ${target.refId}: not on the datasource variable`);
      if (!target.expr) fail(`${dashboardPath}: panel "${panel.title}" ${target.refId}: no expr`);
      exprs.push([`panel "${panel.title}" ${target.refId}`, target.expr ?? ""]);
    }
  }
  for (const [where, expr] of exprs) {
    const names = metricNames(expr);
    if (names.length === 0) fail(`${dashboardPath}: ${where} selects no metric: ${expr}`);
    for (const name of names) if (!known(name)) fail(`${dashboardPath}: ${where} uses ${name}, which /api/metrics does not export`);
  }
}

// --- Docs: links into deploy/ resolve ------------------------------------------------------------------
const docs = ["docs/slo.md", "docs/alerts.md", ...readdirSync(join(root, "docs/runbooks")).filter((f) => f.endsWith(".md")).map((f) => `docs/runbooks/${f}`)];
for (const doc of docs) {
  for (const [, target] of read(doc).matchAll(/\]\(([^)#\s]*deploy\/[^)#\s]*)(?:#[^)]*)?\)/g)) {
    if (!existsSync(resolve(root, dirname(doc), target))) fail(`${doc}: link to ${target} does not resolve`);
  }
}

if (problems.length) {
  console.error(problems.map((p) => `✗ ${p}`).join("\n"));
  process.exit(1);
}
console.log(`PromQL check: ${rules.length} rules (${alerts.length} alerts, each with firing and non-firing tests) and the dashboard's queries use only the ${exported.size} exported metrics and ${recorded.size} recorded series; runbook anchors and docs links resolve`);
