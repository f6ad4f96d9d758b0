import path from "node:path";
import { drizzle } from "drizzle-orm/postgres-js";
import { migrate } from "drizzle-orm/postgres-js/migrator";
import postgres from "postgres";
import { postgresConnection } from "./connection-url";

const MIGRATIONS_FOLDER = path.join(process.cwd(), "db", "migrations");
// Any fixed number; it keeps two processes (dev server, tests, CLI, a release task) from migrating at once.
const MIGRATION_LOCK_KEY = 7_311_2024;

/**
 * Applies db/migrations (drizzle-kit's journal) under a session advisory lock; returns how many this
 * call applied and how many the database now has. The folder is a parameter for the container image,
 * whose migration entry does not run from a checkout.
 */
export async function migrateDatabase(url: string, migrationsFolder = MIGRATIONS_FOLDER) {
  const connection = postgresConnection(url);
  const client = postgres(connection.url, { ...connection.options, max: 1, onnotice: () => {} });
  const appliedCount = async () => {
    const [journal] = await client<{ exists: boolean }[]>`select to_regclass('drizzle.__drizzle_migrations') is not null as exists`;
    if (!journal?.exists) return 0;
    const [applied] = await client<{ count: number }[]>`select count(*)::int as count from drizzle.__drizzle_migrations`;
    return applied?.count ?? 0;
  };
  try {
    await client`select pg_advisory_lock(${MIGRATION_LOCK_KEY})`;
    const before = await appliedCount();
    await migrate(drizzle(client), { migrationsFolder });
    const total = await appliedCount();
    await client`select pg_advisory_unlock(${MIGRATION_LOCK_KEY})`;
    return { applied: total - before, total };
  } finally {
    await client.end({ timeout: 5 });
  }
}
