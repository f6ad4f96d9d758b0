import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { writeAudit, type SystemActor } from "@/lib/coupons/audit";
import { inBatches, type Job } from "@/lib/jobs/job";
import { jobBatches, jobMeta } from "@/lib/jobs/job-meta";

const ACTOR: SystemActor = { kind: "system", name: "campaign-rollover" };
const META = jobMeta("campaign-rollover");

/**
 * ACTIVE or PAUSED campaigns past expires_at become EXPIRED (DESIGN §4), audited. Reads already treat
 * them as expired, so this only makes the stored status say so. SKIP LOCKED leaves a book an
 * operator is editing for the next run instead of waiting on it.
 */
export async function rollOverCampaigns(db: Db) {
  const { batchSize, maxBatches } = jobBatches();
  const { total, exhausted } = await inBatches(maxBatches, batchSize, (limit) =>
    db.transaction(async (tx) => {
      const rows = await tx.execute<{ id: string; business_id: string; previous_status: string; expires_at: string }>(sql`
        with due as (
          select id, status from coupon_books
          where status in ('ACTIVE', 'PAUSED') and expires_at <= now()
          order by expires_at
          limit ${limit}
          for update skip locked
        )
        update coupon_books b set status = 'EXPIRED', updated_at = now()
        from due where b.id = due.id
        returning b.id, b.business_id, due.status as previous_status, b.expires_at`);
      for (const row of rows) {
        await writeAudit(tx, ACTOR, META, {
          businessId: row.business_id,
          bookId: row.id,
          action: "EXPIRE_BOOK",
          previousStatus: row.previous_status,
          newStatus: "EXPIRED",
          details: { expiresAt: new Date(row.expires_at).toISOString() },
        });
      }
      return rows.length;
    }),
  );
  return { expiredCampaigns: total, moreLeft: exhausted };
}

export const campaignRolloverJob: Job = {
  name: "campaign-rollover",
  description: "ACTIVE/PAUSED campaigns past expires_at → EXPIRED (audited)",
  run: rollOverCampaigns,
};
