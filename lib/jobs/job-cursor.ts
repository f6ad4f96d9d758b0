import { eq, sql } from "drizzle-orm";
import { z } from "zod";
import type { DbOrTx } from "@/db/client";
import { jobCursors, type JobCursor } from "@/db/schema";

const JobCursorSchema = z.record(z.string(), z.string().nullable()) satisfies z.ZodType<JobCursor>;

/**
 * Where `job` stopped last run. The column is jsonb, so what comes back is parsed here, the one
 * place cursors are read: a job that never ran, or a value that is not a cursor (edited by hand, an
 * older shape), starts from the beginning, which every walking job tolerates.
 */
export async function readJobCursor(db: DbOrTx, job: string): Promise<JobCursor> {
  const [row] = await db.select({ cursor: jobCursors.cursor }).from(jobCursors).where(eq(jobCursors.job, job));
  const parsed = JobCursorSchema.safeParse(row?.cursor ?? {});
  return parsed.success ? parsed.data : {};
}

/** Stores where `job` stopped, for its next run. */
export async function saveJobCursor(db: DbOrTx, job: string, cursor: JobCursor) {
  await db
    .insert(jobCursors)
    .values({ job, cursor })
    .onConflictDoUpdate({ target: jobCursors.job, set: { cursor, updatedAt: sql`now()` } });
}
