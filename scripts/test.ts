import { spawn } from "node:child_process";
import { ensureDatabase } from "./embedded-postgres";

/**
 * `npm test`: unit and integration tests on real PostgreSQL. DATABASE_URL when set (CI's service);
 * otherwise the embedded server, database `coupons_test`, so the demo data of `npm run dev` survives.
 */
async function main() {
  const database = await ensureDatabase("coupons_test");
  const args = process.argv.slice(2);
  const code = await new Promise<number>((resolve) => {
    const child = spawn("npx", ["vitest", "run", ...args], {
      stdio: "inherit",
      env: { ...process.env, DATABASE_URL: database.url, NODE_ENV: "test" },
    });
    child.on("exit", (exitCode) => resolve(exitCode ?? 1));
  });
  await database.stop();
  process.exit(code);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
