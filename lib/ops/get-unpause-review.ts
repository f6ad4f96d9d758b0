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
  /** The newest PAUSE, or null when the trail has none (a pause older than the audit trail). */
  pause: StatusChangeRecord | null;
  /** The newest UNPAUSE, or null. */
  resume: StatusChangeRecord | null;
  /** While PAUSED: the attempts since the pause (or the last status change, without a PAUSE row). */
  sincePause: CampaignAttemptMix | null;
  /** Once ACTIVE again: the attempts since the resume, what the runbook says to monitor. */
  sinceResume: CampaignAttemptMix | null;
}

type AuditRow = { action: "PAUSE" | "UNPAUSE"; at: string | Date; at_text: string; actor: string; actor_name: string | null; reason: string | null; taken_over_from: string | null };

/** The newest row of one action: a walk of (book_id, at desc) that stops at the first match. */
const newest = (action: "PAUSE" | "UNPAUSE", bookId: string) => sql`(
  select action, at, at::text as at_text, actor, details->>'reason' as reason, details->>'takenOverFrom' as taken_over_from
  from redemption_audit where book_id = ${bookId} and action = ${action}
  order by at desc, id desc limit 1)`;

/**
 * What the runbook's safe unpause procedure (seed 001 §4) needs on one screen: the campaign's
 * metadata and usage, who paused it, when and why, and the attempts since the pause with the last
 * minutes apart; after a resume, who resumed it and the attempts since. An unknown id is
 * BOOK_NOT_FOUND (the page's 404).
 */
export async function getUnpauseReview(db: DbOrTx, actor: Actor, bookId: string): Promise<UnpauseReview> {
  const [{ campaign, businessName, book }, audit] = await Promise.all([
    getCampaign(db, actor, bookId),
    db.execute<AuditRow>(sql`
      select r.*, u.name as actor_name
      from (${newest("PAUSE", bookId)} union all ${newest("UNPAUSE", bookId)}) r
      left join users u on u.id = case when r.actor ~ '^(ops|seller):[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
        then substring(r.actor from position(':' in r.actor) + 1)::uuid end`),
  ]);
  const record = (action: AuditRow["action"]): { record: StatusChangeRecord; at: string } | null => {
    const row = [...audit].find((r) => r.action === action);
    if (!row) return null;
    return {
      at: row.at_text,
      record: { at: new Date(row.at).toISOString(), actor: row.actor, actorName: row.actor_name, reason: row.reason, takenOverFrom: row.taken_over_from },
    };
  };
  const pause = record("PAUSE");
  const resume = record("UNPAUSE");

  const paused = campaign.status === "PAUSED";
  const resumed = campaign.status === "ACTIVE" && resume !== null && (pause === null || resume.record.at >= pause.record.at);
  const [sincePause, sinceResume] = await Promise.all([
    paused ? campaignAttemptMix(db, book.id, pause?.at ?? book.updatedAt) : null,
    resumed ? campaignAttemptMix(db, book.id, resume.at) : null,
  ]);
  return { campaign, businessName, pause: pause?.record ?? null, resume: resume?.record ?? null, sincePause, sinceResume };
}
