import { createRequire } from "node:module";
import { hasDemoData, seedDatabase } from "@/lib/demo/seed";
import { prepareDatabase, runServerProcess } from "./server-process";

/**
 * `npm run dev [-- next dev options, e.g. -p 3001]`: DATABASE_URL, or the embedded PostgreSQL
 * (.data/pg, database coupons_dev) when it is unset; migrated, seeded with the demo data on first
 * use, then `next dev` with DATABASE_URL in its environment.
 */
async function main() {
  const database = await prepareDatabase("coupons_dev");
  if (!(await hasDemoData(database.url))) {
    const summary = await seedDatabase(database.url);
    console.error(`Seeded the demo data (${summary.createdBooks.join(", ")}); logins *@demo.test, password demo1234`);
  }
  const nextBin = createRequire(import.meta.url).resolve("next/dist/bin/next");
  const env = { ...process.env, DATABASE_URL: database.url, NEXT_TELEMETRY_DISABLED: "1" };
  await runServerProcess(process.execPath, [nextBin, "dev", ...process.argv.slice(2)], env, database);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
