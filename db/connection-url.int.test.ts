import { describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
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
