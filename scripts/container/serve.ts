import path from "node:path";
import { missingProductionSecrets, parseEnv, productionSecretsMessage } from "@/lib/env";
import { containerDatabaseUrl } from "./database-url";

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

/**
 * The image's server entry (`node serve.cjs`): refuses to start on a configuration that would only fail
 * at the first request (no database, no secrets, an invalid setting), then runs Next's standalone
 * server, which on SIGTERM stops accepting, finishes the requests in flight and exits 143.
 */
const database = containerDatabaseUrl(process.env);
if (!database.ok) fail(database.message);
process.env.DATABASE_URL = database.url;
try {
  parseEnv({ ...process.env });
} catch (error) {
  fail((error as Error).message);
}
const missing = missingProductionSecrets(process.env);
if (missing.length > 0) fail(productionSecretsMessage(missing));
// Next's standalone entry is CommonJS beside this bundle, loaded only once the checks above passed.
// eslint-disable-next-line @typescript-eslint/no-require-imports
require(path.join(__dirname, "server.js"));
