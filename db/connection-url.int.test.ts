import fs from "node:fs";
import path from "node:path";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { createDb } from "@/db/client";
import { migrateDatabase } from "@/db/migrate";
import { settings } from "@/lib/env";

/** The test database's URL with libpq's channel_binding on it, as Neon's connection strings have it. */
function withChannelBinding(binding: string) {
  const url = new URL(settings("DATABASE_URL").DATABASE_URL);
  url.searchParams.set("channel_binding", binding);
  return url.toString();
}

describe("a DATABASE_URL with channel_binding", () => {
  it("connects the app's pool and the migrator (postgres.js would send it to the server as a setting)", async () => {
    // `prefer` keeps the local server's plain connection; `require` is turned into verify-full (connection-url.test.ts).
    const url = withChannelBinding("prefer");
    const { db, client } = createDb(url, { max: 1 });
    try {
      const rows = await db.execute<{ ok: number }>(sql`select 1 as ok`);
      expect(rows[0]?.ok).toBe(1);
    } finally {
      await client.end({ timeout: 5 });
    }
    await expect(migrateDatabase(url)).resolves.toMatchObject({ applied: 0 });
  });
});

describe("a DATABASE_URL with libpq's host=<socket directory>", () => {
  it("connects the app's pool and the migrator through the server's Unix socket", async (context) => {
    const { db: overTcp, client: tcpClient } = createDb(settings("DATABASE_URL").DATABASE_URL, { max: 1 });
    const [setting] = await overTcp.execute<{ directories: string; port: string }>(
      sql`select current_setting('unix_socket_directories') as directories, current_setting('port') as port`,
    );
    await tcpClient.end({ timeout: 5 });
    const directory = setting!.directories.split(",").map((entry) => entry.trim()).find((entry) => fs.existsSync(path.join(entry, `.s.PGSQL.${setting!.port}`)));
    if (!directory) return context.skip("the test server listens on no Unix socket");

    const url = new URL(settings("DATABASE_URL").DATABASE_URL);
    url.searchParams.set("host", directory);
    url.searchParams.set("port", setting!.port);
    const { db, client } = createDb(url.toString(), { max: 1 });
    try {
      // A Unix-socket session has no server address; over TCP it is the loopback's.
      const [row] = await db.execute<{ address: string | null; database: string }>(sql`select inet_server_addr()::text as address, current_database() as database`);
      expect(row).toEqual({ address: null, database: url.pathname.slice(1) });
    } finally {
      await client.end({ timeout: 5 });
    }
    await expect(migrateDatabase(url.toString())).resolves.toMatchObject({ applied: 0 });
  });
});
