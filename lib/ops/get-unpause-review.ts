import { sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import type { Actor } from "@/lib/auth/actor";
import { campaignAttemptMix, type CampaignAttemptMix } from "./campaign-attempt-mix";
import type { CampaignDto } from "./campaign-dto";
import { getCampaign } from "./get-campaign";

/** One PAUSE or UNPAUSE of the campaign's audit trail, as the review shows it. */
export interface StatusChangeRecord {
  at: string;
  /** The audit label (`ops:<user id>`, `system:guard`, `seller:<user id>`, `internal`). */
  actor: string;
  /** The signed-in user behind an `ops:`/`seller:` label, when it is one of ours. */
  actorName: string | null;
  reason: string | null;
  /** A pause taken over from a seller's own pause: who had paused it. */
  takenOverFrom: string | null;
}

export interface UnpauseReview {
  campaign: CampaignDto;
  businessName: string;
  /** While PAUSED: the newest PAUSE, or null when the trail has none (a pause older than the audit trail). */
  pause: StatusChangeRecord | null;
  /** Once ACTIVE after a pause: the UNPAUSE that resumed it; null otherwise. */
  resume: StatusChangeRecord | null;
  /** While PAUSED: the attempts since the pause (or the last status change, without a PAUSE row). */
  sincePause: CampaignAttemptMix | null;
  /** Once ACTIVE again: the attempts since the resume, what the runbook says to monitor. */
  sinceResume: CampaignAttemptMix | null;
}

type AuditRow = { at: string | Date; at_text: string; actor: string; actor_name: string | null; reason: string | null; taken_over_from: string | null };

/**
 * One status change of the book's audit trail, with the user behind an `ops:`/`seller:` label. Both
 * lookups are bounded on the (book_id, at desc) index, whatever the size of the trail (a big
 * campaign writes an ASSIGN, LOCK and REDEEM row per use): the newest PAUSE of a paused book sits
 * above the few rows written while it was paused, and the resume is the row at its resumed_at
 * (the status change and its audit row share the transaction's now()).
 */
async function statusChange(db: DbOrTx, bookId: string, action: "PAUSE" | "UNPAUSE"): Promise<{ record: StatusChangeRecord; at: string } | null> {
  const where =
    action === "PAUSE"
      ? sql`a.action = 'PAUSE' and a.at >= coalesce(b.resumed_at, '-infinity'::timestamptz)`
      : sql`a.action = 'UNPAUSE' and a.at = b.resumed_at`;
  const [row] = await db.execute<AuditRow>(sql`
    select a.at, a.at::text as at_text, a.actor, a.details->>'reason' as reason, a.details->>'takenOverFrom' as taken_over_from, u.name as actor_name
    from coupon_books b
    join lateral (
      select * from redemption_audit a where a.book_id = b.id and ${where} order by a.at desc, a.id desc limit 1
    ) a on true
    left join users u on u.id = case when a.actor ~ '^(ops|seller):[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
      then substring(a.actor from position(':' in a.actor) + 1)::uuid end
    where b.id = ${bookId}`);
  if (!row) return null;
  return {
    at: row.at_text,
    record: { at: new Date(row.at).toISOString(), actor: row.actor, actorName: row.actor_name, reason: row.reason, takenOverFrom: row.taken_over_from },
  };
}

/**
 * What the runbook's safe unpause procedure (seed 001 §4) needs on one screen: the campaign's
 * metadata and usage, who paused it, when and why, and the attempts since the pause with the last
 * minutes apart; after a resume, who resumed it and the attempts since. An unknown id is
 * BOOK_NOT_FOUND (the page's 404).
 */
export async function getUnpauseReview(db: DbOrTx, actor: Actor, bookId: string): Promise<UnpauseReview> {
  const { campaign, businessName, book } = await getCampaign(db, actor, bookId);
  if (campaign.status === "PAUSED") {
    const pause = await statusChange(db, book.id, "PAUSE");
    // Without a PAUSE row (a pause older than the audit trail), the last change of the book is the best bound.
    const sincePause = await campaignAttemptMix(db, book.id, pause?.at ?? book.updatedAt);
    return { campaign, businessName, pause: pause?.record ?? null, resume: null, sincePause, sinceResume: null };
  }
  const resume = campaign.status === "ACTIVE" && book.resumedAt ? await statusChange(db, book.id, "UNPAUSE") : null;
  const sinceResume = resume ? await campaignAttemptMix(db, book.id, resume.at) : null;
  return { campaign, businessName, pause: null, resume: resume?.record ?? null, sincePause: null, sinceResume };
}
