import { sql } from "drizzle-orm";
import type { Tx } from "@/db/client";

/**
 * Inserts normalized codes in one statement (no per-code round trips) and returns those that were
 * new: a code already in the business is skipped by the unique key, which is the final judge.
 * Codes are validated against CODE_FORMAT first, so the array literal needs no escaping; every
 * element is quoted all the same, or a code spelled NULL would be read as a null element.
 */
export async function insertCodes(
  tx: Tx,
  target: { businessId: string; bookId: string },
  codes: readonly string[],
  status: "AVAILABLE" | "DISABLED" = "AVAILABLE",
): Promise<string[]> {
  if (codes.length === 0) return [];
  const rows = await tx.execute<{ code: string }>(sql`
    insert into coupon_codes (business_id, book_id, code, status)
    select ${target.businessId}, ${target.bookId}, code, ${status}::code_status
    from unnest(${`{"${codes.join('","')}"}`}::text[]) as input(code)
    on conflict (business_id, code) do nothing
    returning code`);
  return rows.map((r) => r.code);
}
