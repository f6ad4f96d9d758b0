import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";

/** Empties every application table (migrations' own bookkeeping lives in another schema). */
export async function resetDatabase(db: Db) {
  const rows = await db.execute<{ tablename: string }>(sql`select tablename from pg_tables where schemaname = 'public'`);
  if (rows.length === 0) return;
  const tables = rows.map((r) => `"public"."${r.tablename}"`).join(", ");
  await db.execute(sql.raw(`truncate ${tables} restart identity cascade`));
}
