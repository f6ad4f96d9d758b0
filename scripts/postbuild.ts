import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

const root = process.cwd();
const standalone = path.join(root, ".next", "standalone");

/**
 * Test suites that packages publish and the tracer copies whole with them (pino's workers, traced for
 * instrumentation.ts, where outputFileTracingExcludes does not reach): production carries no test file.
 */
const PUBLISHED_TEST_DIRS = ["node_modules/thread-stream/test", "node_modules/sonic-boom/test"];

/**
 * `output: "standalone"` leaves static assets out of .next/standalone (a CDN is expected to serve
 * them); copy them in so `node .next/standalone/server.js` (npm start, containers) serves them too.
 */
export function copyStandaloneAssets({ onlyIfMissing = false } = {}) {
  if (!fs.existsSync(path.join(standalone, "server.js"))) return false;
  const copies = [
    { from: path.join(root, ".next", "static"), to: path.join(standalone, ".next", "static") },
    { from: path.join(root, "public"), to: path.join(standalone, "public") },
  ];
  for (const { from, to } of copies) {
    if (!fs.existsSync(from) || (onlyIfMissing && fs.existsSync(to))) continue;
    fs.rmSync(to, { recursive: true, force: true });
    fs.cpSync(from, to, { recursive: true });
  }
  for (const dir of PUBLISHED_TEST_DIRS) fs.rmSync(path.join(standalone, dir), { recursive: true, force: true });
  return true;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  if (copyStandaloneAssets()) console.log("Copied .next/static and public into .next/standalone; removed the test suites of traced packages");
}
