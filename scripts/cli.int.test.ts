import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it, vi } from "vitest";
import { db } from "@/db/client";
import { API_KEY_CACHE_TTL_MS, verifyApiKey } from "@/lib/auth/api-keys";
import { runCli, type CliIo } from "./cli";

const run = promisify(execFile);
const TSX = path.join(process.cwd(), "node_modules", ".bin", "tsx");

/** The CLI as a user runs it: its own process, the test database through DATABASE_URL. */
async function cli(...args: string[]) {
  try {
    const { stdout, stderr } = await run(TSX, ["scripts/cli.ts", ...args], { env: { ...process.env, DATABASE_URL: process.env.DATABASE_URL } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

const lastLine = (text: string) => text.trimEnd().split("\n").at(-1) ?? "";

function captured() {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { out: (line) => out.push(line), err: (line) => err.push(line) };
  return { io, out, err };
}

describe("npm run cli -- api-key", () => {
  it("creates a key that authenticates, lists it and revokes it", async () => {
    const created = await cli("api-key", "create", "--business", "CLI Test Shop", "--name", "ci");
    expect(created.code).toBe(0);
    const key = lastLine(created.stdout);
    expect(key).toMatch(/^cpk_[a-z0-9]{12}_\S+$/);
    expect(created.stderr).toContain('business "CLI Test Shop"');

    const verified = await verifyApiKey(db, key);
    expect(verified).not.toBeNull();
    const prefix = key.split("_")[1]!;

    const listed = await cli("api-key", "list", "--business", "CLI Test Shop");
    expect(listed.code).toBe(0);
    expect(listed.stdout).toContain(prefix);
    expect(listed.stdout).toContain("active");
    expect(listed.stdout).not.toContain(key); // only the prefix is ever shown again

    // A second key for the same business reuses it.
    const second = await cli("api-key", "create", "--business", "CLI Test Shop");
    expect((await verifyApiKey(db, lastLine(second.stdout)))?.businessId).toBe(verified!.businessId);

    const revoked = await cli("api-key", "revoke", prefix);
    expect(revoked.code).toBe(0);
    // Revoked by another process: this one trusts the key it verified for at most API_KEY_CACHE_TTL_MS (docs/api.md).
    vi.useFakeTimers({ toFake: ["Date"] });
    try {
      vi.setSystemTime(Date.now() + API_KEY_CACHE_TTL_MS);
      expect(await verifyApiKey(db, key)).toBeNull();
    } finally {
      vi.useRealTimers();
    }
    expect((await cli("api-key", "revoke", prefix)).code).toBe(1); // already revoked
  });

  it("answers bad usage with a message and exit code 2, before touching a database", async () => {
    for (const argv of [[], ["nope"], ["api-key"], ["api-key", "create"], ["api-key", "create", "--business"], ["api-key", "create", "--business", "x", "--bogus"], ["api-key", "revoke"], ["db", "seed", "extra"]]) {
      const { io, err } = captured();
      expect(await runCli(argv, io), argv.join(" ")).toBe(2);
      expect(err.join("\n")).toContain("Usage:");
    }
    const { io, out } = captured();
    expect(await runCli(["help"], io)).toBe(0);
    expect(out.join("\n")).toContain("api-key create");
  });
});
