import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { pgErrorCode } from "@/lib/errors";
import { logger } from "@/lib/log";

/** Bulk loads at least this large refresh the planner's statistics themselves. */
const ANALYZE_AFTER_ROWS = 100_000;

/**
 * After a bulk insert the planner knows nothing of the new rows until autovacuum analyzes the table
 * (a minute or more). In that window a big book's code list is planned as a bitmap scan and a sort
 * (650 ms a page at 1M codes) instead of a walk of coupon_codes_book_created_idx (~5 ms).
 * ANALYZE samples a fixed number of rows and blocks no reads or writes. Best effort, after commit.
 */
export async function refreshCodeStatistics(db: Db, insertedRows: number) {
  if (insertedRows < ANALYZE_AFTER_ROWS) return;
  try {
    await db.execute(sql`analyze coupon_codes`);
  } catch (error) {
    logger.warn({ pgCode: pgErrorCode(error) }, "analyze coupon_codes after a bulk insert failed");
  }
}
