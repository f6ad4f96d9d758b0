import { randomBytes } from "node:crypto";
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { parseArgs } from "node:util";
import { missingProductionSecrets, productionSecretsMessage, type ProductionSecret } from "@/lib/env";
import { copyStandaloneAssets } from "./postbuild";
import { prepareDatabase, runServerProcess } from "./server-process";

const USAGE = "Usage: npm start [-- -p <port>] [-H <hostname>]   (or PORT / HOSTNAME in the environment)";
const root = process.cwd();

function options() {
  try {
    const { values } = parseArgs({
      args: process.argv.slice(2),
      options: { port: { type: "string", short: "p" }, hostname: { type: "string", short: "H" }, help: { type: "boolean", short: "h" } },
      strict: true,
    });
    if (values.help) {
      console.log(USAGE);
      process.exit(0);
    }
    const port = values.port ?? process.env.PORT ?? "3000";
    if (!/^\d{1,5}$/.test(port) || Number(port) > 65_535) throw new Error(`Invalid port: ${port}`);
    return { port, hostname: values.hostname ?? process.env.HOSTNAME ?? "0.0.0.0" };
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    process.exit(2);
  }
}

/**
 * Production refuses to run without its secrets (lib/env.ts). On the embedded database, which is a
 * local trial by definition, they are generated once and kept in .data/secrets.json; anywhere else
 * they must come from the environment.
 */
function secrets(usesEmbeddedDatabase: boolean): Record<string, string> {
  const missing = missingProductionSecrets(process.env);
  if (missing.length === 0) return {};
  if (!usesEmbeddedDatabase) {
    console.error(productionSecretsMessage(missing));
    process.exit(1);
  }
  const file = path.join(root, ".data", "secrets.json");
  const stored: Partial<Record<ProductionSecret, string>> = fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, "utf8")) : {};
  for (const name of missing) stored[name] ??= randomBytes(33).toString("base64");
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(stored, null, 2)}\n`, { mode: 0o600 });
  console.error(`Using locally generated ${missing.join(", ")} from .data/secrets.json (embedded database only).`);
  return Object.fromEntries(missing.map((name) => [name, stored[name]!]));
}

/**
 * `npm start [-- -p 3000 -H 0.0.0.0]`: the production build (`npm run build` first) on DATABASE_URL,
 * or on the embedded PostgreSQL when it is unset, migrated first. Runs .next/standalone/server.js
 * (output: "standalone"), or `next start` for a non-standalone build.
 */
async function main() {
  const { port, hostname } = options();
  const usesEmbeddedDatabase = !process.env.DATABASE_URL;
  const extraSecrets = secrets(usesEmbeddedDatabase);
  const standaloneServer = path.join(root, ".next", "standalone", "server.js");
  const hasStandalone = fs.existsSync(standaloneServer);
  if (!hasStandalone && !fs.existsSync(path.join(root, ".next", "BUILD_ID"))) {
    console.error("No production build found: run `npm run build` first.");
    process.exit(1);
  }
  const database = await prepareDatabase("coupons_dev");
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...extraSecrets,
    // The embedded database is a local trial by definition: its demo logins may stay.
    ...(usesEmbeddedDatabase ? { ALLOW_DEMO_ACCOUNTS: process.env.ALLOW_DEMO_ACCOUNTS ?? "1" } : {}),
    DATABASE_URL: database.url,
    NODE_ENV: "production",
    NEXT_TELEMETRY_DISABLED: "1",
    PORT: port,
    HOSTNAME: hostname,
  };
  if (hasStandalone) {
    copyStandaloneAssets({ onlyIfMissing: true });
    await runServerProcess(process.execPath, [standaloneServer], env, database);
  }
  const nextBin = createRequire(import.meta.url).resolve("next/dist/bin/next");
  await runServerProcess(process.execPath, [nextBin, "start", "-p", port, "-H", hostname], env, database);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
