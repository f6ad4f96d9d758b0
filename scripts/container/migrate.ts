import path from "node:path";
import { migrateDatabase } from "@/db/migrate";
import { containerDatabaseUrl } from "./database-url";

/**
 * The image's release step (`node migrate.cjs`, bundled by esbuild so the image needs neither tsx nor
 * dev dependencies): applies the pending migrations and exits 0, or prints why not and exits 1.
 * Safe to run twice or from two tasks at once (an advisory lock; applied migrations are skipped).
 */
async function main() {
  const database = containerDatabaseUrl(process.env);
  if (!database.ok) {
    console.error(database.message);
    process.exit(1);
  }
  const { applied, total } = await migrateDatabase(database.url, path.join(__dirname, "db", "migrations"));
  console.log(applied === 0 ? `Database up to date (${total} migrations).` : `Applied ${applied} migration${applied === 1 ? "" : "s"} (${total} in all).`);
}

main().catch((error: unknown) => {
  // A connection string can carry a password; the driver's message does not include it.
  console.error(`Migration failed: ${(error as Error).message}`);
  process.exit(1);
});
