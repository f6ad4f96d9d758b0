import postgres from "postgres";
import { settings } from "@/lib/env";

/**
 * Runs `work` while another transaction holds an uncommitted update of a non-key column of the
 * book's row, and answers "blocked" if `work` has not finished within 5 s: proof that a path never
 * waits on (so never locks) the book row.
 */
export async function withBookRowHeld<T>(bookId: string, work: () => Promise<T>): Promise<T | "blocked"> {
  const blocker = postgres(settings("DATABASE_URL").DATABASE_URL, { max: 1, onnotice: () => {} });
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
