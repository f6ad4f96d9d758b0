import { sql } from "drizzle-orm";
import postgres from "postgres";
import type { DbOrTx } from "@/db/client";
import { postgresConnection } from "@/db/connection-url";
import { settings } from "@/lib/env";

/**
 * Runs `work` while another transaction holds an uncommitted update of a non-key column of the
 * book's row, and answers "blocked" if `work` has not finished within 5 s: proof that a path never
 * waits on (so never locks) the book row.
 */
export async function withBookRowHeld<T>(bookId: string, work: () => Promise<T>): Promise<T | "blocked"> {
  const connection = postgresConnection(settings("DATABASE_URL").DATABASE_URL);
  const blocker = postgres(connection.url, { ...connection.options, max: 1, onnotice: () => {} });
  let release!: () => void;
  let held!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  const holding = new Promise<void>((resolve) => (held = resolve));
  const holder = blocker
    .begin(async (tx) => {
      await tx`update coupon_books set description = 'being edited' where id = ${bookId}`;
      held();
      await released;
      throw new Error("rollback");
    })
    .catch(() => {});
  await holding;
  try {
    const timeout = new Promise<"blocked">((resolve) => setTimeout(() => resolve("blocked"), 5_000).unref());
    return await Promise.race([work(), timeout]);
  } finally {
    release();
    await holder;
    await blocker.end();
  }
}

/**
 * Polls pg_stat_activity until backend `pid` is waiting on a lock, and throws if it is not within
 * `withinMs`: proof that a transaction is blocked (not merely slow), and a fast failure rather than a
 * hang when a path that should wait does not.
 */
export async function waitUntilLockWaiting(db: DbOrTx, pid: number, withinMs = 5_000) {
  const deadline = Date.now() + withinMs;
  for (;;) {
    const [row] = await db.execute<{ wait_event_type: string | null; state: string | null }>(
      sql`select wait_event_type, state from pg_stat_activity where pid = ${pid}`,
    );
    if (row?.wait_event_type === "Lock") return;
    if (Date.now() > deadline) throw new Error(`backend ${pid} is not waiting on a lock (${row?.state ?? "gone"}, ${row?.wait_event_type ?? "no wait"})`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
