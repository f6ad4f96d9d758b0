import { spawn } from "node:child_process";
import path from "node:path";
import { expect, test } from "@playwright/test";

/**
 * The production server itself (the standalone build a container runs, not `npm start`) refuses to
 * start on the demo-seeded database while the demo logins open with the published password, and
 * without its secrets. Each case is a child process on a port of its own that must exit 1 and say why.
 */
const server = path.join(process.cwd(), ".next", "standalone", "server.js");
const port = Number(process.env.E2E_PORT ?? 3100) + 7;

function startProduction(env: Record<string, string | undefined>) {
  return new Promise<{ code: number | null; output: string }>((resolve, reject) => {
    const child = spawn(process.execPath, [server], {
      env: { PATH: process.env.PATH, NEXT_TELEMETRY_DISABLED: "1", HOSTNAME: "127.0.0.1", PORT: String(port), ...env, NODE_ENV: "production" },
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk));
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`the server kept running for 20 s:\n${output}`));
    }, 20_000);
    child.on("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

const secrets = { AUTH_SECRET: "e2e-start-auth-secret-0123456789abcdefghij", CODE_HASH_SECRET: "e2e-start-code-hash-secret" };

// Against a server you run yourself (E2E_BASE_URL) there is no database here to start one on.
if (process.env.DATABASE_URL) test.describe("production start", () => {
  test("refuses the demo accounts' public password, naming the accounts and the way out", async () => {
    const { code, output } = await startProduction({ ...secrets, DATABASE_URL: process.env.DATABASE_URL });
    expect(code).toBe(1);
    expect(output).toContain("seller@demo.test");
    expect(output).toContain("ALLOW_DEMO_ACCOUNTS=1");
  });

  test("refuses to start without CODE_HASH_SECRET", async () => {
    const { code, output } = await startProduction({ AUTH_SECRET: secrets.AUTH_SECRET, ALLOW_DEMO_ACCOUNTS: "1", DATABASE_URL: process.env.DATABASE_URL });
    expect(code).toBe(1);
    expect(output).toContain("CODE_HASH_SECRET is unset");
  });
});
