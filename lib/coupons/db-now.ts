import { sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";

/** The transaction's clock: lock expiry is decided on the database's time, never the app server's. */
export async function dbNow(db: DbOrTx): Promise<Date> {
  const [row] = await db.execute<{ now: Date | string }>(sql`select now() as now`);
  return new Date(row!.now);
}

/** now() as a select field, so a statement that reads other rows brings the transaction's clock along. */
export const transactionNow = () => sql<Date>`now()`.mapWith((value: Date | string) => new Date(value));
