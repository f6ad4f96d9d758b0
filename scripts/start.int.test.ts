import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const run = promisify(execFile);
const TSX = path.join(process.cwd(), "node_modules", ".bin", "tsx");

describe("npm start on a database of its own (DATABASE_URL set)", () => {
  it("refuses to start without CODE_HASH_SECRET, before anything else, and says what to set", async () => {
    const env: NodeJS.ProcessEnv = { ...process.env, AUTH_SECRET: "a-production-auth-secret-0123456789abcdef" };
    delete env.CODE_HASH_SECRET;
    const failure = await run(TSX, ["scripts/start.ts"], { env }).then(
      () => expect.fail("npm start ran without CODE_HASH_SECRET"),
      (error: { code: number; stderr: string }) => error,
    );
    expect(failure.code).toBe(1);
    expect(failure.stderr).toContain("CODE_HASH_SECRET must be set to run the production server");
  });
});
