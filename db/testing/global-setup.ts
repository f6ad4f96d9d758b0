import { migrateDatabase } from "@/db/migrate";
import { assertLocalDatabase } from "./assert-local-database";

export default async function globalSetup() {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL is unset: run the tests with `npm test`, which provides a database");
  assertLocalDatabase(url);
  await migrateDatabase(url);
}
