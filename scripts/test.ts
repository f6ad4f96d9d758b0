import { spawn } from "node:child_process";
import { createServer } from "node:net";
import { ensureDatabase } from "./embedded-postgres";

function run(command: string, args: string[], env: NodeJS.ProcessEnv) {
  return new Promise<number>((resolve) => {
    const child = spawn(command, args, { stdio: "inherit", env });
    child.on("exit", (exitCode) => resolve(exitCode ?? 1));
  });
}

/** Whether something already listens on the e2e port: Playwright would find out only after the build. */
function portInUse(port: number) {
  return new Promise<boolean>((resolve) => {
    const probe = createServer()
      .once("error", () => resolve(true))
      .once("listening", () => probe.close(() => resolve(false)))
      .listen(port, "0.0.0.0");
  });
}

/**
 * `npm test`: unit and integration tests (vitest) on real PostgreSQL, then the Playwright e2e specs
 * against a production build on the same database (seeded by e2e/global-setup.ts). DATABASE_URL when
 * set (CI's service); otherwise the embedded server, database `coupons_test`, so the demo data of
 * `npm run dev` survives. `npm test -- <filters>` runs only the matching vitest files; SKIP_E2E=1
 * skips the e2e stage.
 */
async function main() {
  const args = process.argv.slice(2);
  const filtered = args.some((arg) => !arg.startsWith("-"));
  const e2e = process.env.SKIP_E2E !== "1" && !filtered;
  const e2ePort = Number(process.env.E2E_PORT ?? 3100);
  if (e2e && !process.env.E2E_BASE_URL && (await portInUse(e2ePort))) {
    console.error(`Port ${e2ePort} is in use, so the e2e test server could not start there after the build. Stop what listens on it, or pick a free port: E2E_PORT=3200 npm test`);
    process.exit(1);
  }
  // e2e/github-sign-in.spec.ts runs a stand-in GitHub on the next port (e2e/fake-github.ts).
  const githubPort = Number(process.env.E2E_GITHUB_PORT ?? e2ePort + 1);
  if (e2e && !process.env.E2E_BASE_URL && (await portInUse(githubPort))) {
    console.error(`Port ${githubPort} is in use, so the e2e stand-in for GitHub could not listen there. Stop what listens on it, or pick free ports: E2E_PORT=3200 npm test (or E2E_GITHUB_PORT)`);
    process.exit(1);
  }

  const database = await ensureDatabase("coupons_test");
  let code = await run("npx", ["vitest", "run", ...args], { ...process.env, DATABASE_URL: database.url, NODE_ENV: "test" });

  if (code === 0 && process.env.SKIP_E2E === "1") console.log("\nE2E skipped (SKIP_E2E=1)");
  else if (code === 0 && filtered) console.log("\nE2E skipped: vitest filters were given (run `npm test` alone for the full suite)");
  else if (code === 0) {
    console.log("\nE2E: Playwright against the production build\n");
    // `next build` and the production server set their own NODE_ENV; a leftover "test" would confuse them.
    const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: database.url };
    Reflect.deleteProperty(env, "NODE_ENV");
    code = await run("npx", ["playwright", "test"], env);
  }
  await database.stop();
  process.exit(code);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
