import { migrateDatabase } from "@/db/migrate";
import { seedDatabase } from "@/lib/demo/seed";
import { assertLocalDatabase } from "@/db/testing/assert-local-database";

/** The specs sign in with the demo users: migrate and seed the server's database first (idempotent). */
export default async function globalSetup() {
  const url = process.env.DATABASE_URL;
  if (!url) return; // E2E_BASE_URL: the server you run brings its own data (npm run dev seeds it)
  assertLocalDatabase(url);
  await migrateDatabase(url);
  await seedDatabase(url);
}
