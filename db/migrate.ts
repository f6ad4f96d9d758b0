import path from "node:path";
import { drizzle } from "drizzle-orm/postgres-js";
import { migrate } from "drizzle-orm/postgres-js/migrator";
import postgres from "postgres";
import { postgresUrl } from "./connection-url";

const MIGRATIONS_FOLDER = path.join(process.cwd(), "db", "migrations");
// Any fixed number; it keeps two processes (dev server, tests, CLI) from migrating at once.
const MIGRATION_LOCK_KEY = 7_311_2024;

/** Applies db/migrations (drizzle-kit's journal) under a session advisory lock. */
export async function migrateDatabase(url: string) {
  const client = postgres(postgresUrl(url), { max: 1, onnotice: () => {} });
  try {
    await client`select pg_advisory_lock(${MIGRATION_LOCK_KEY})`;
    await migrate(drizzle(client), { migrationsFolder: MIGRATIONS_FOLDER });
    await client`select pg_advisory_unlock(${MIGRATION_LOCK_KEY})`;
  } finally {
    await client.end({ timeout: 5 });
  }
}
