import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { deliverDueAlerts } from "@/lib/alerts/deliver";
import { raiseAlert } from "@/lib/alerts/raise";
import type { SystemActor } from "@/lib/coupons/audit";
import { settings } from "@/lib/env";
import { isAppError } from "@/lib/errors";
import type { Job } from "@/lib/jobs/job";
import { setCampaignStatus } from "@/lib/ops/campaign-status";
import { jobMeta } from "@/lib/jobs/job-meta";

const ACTOR: SystemActor = { kind: "system", name: "guard" };
const META = jobMeta("bruteforce-guard");

export function guardThresholds() {
  const s = settings("GUARD_WINDOW_SECONDS", "GUARD_MIN_FAILED_ATTEMPTS", "GUARD_MIN_DISTINCT_USERS", "GUARD_HASH_MIN_DISTINCT_USERS");
  return {
    windowSeconds: s.GUARD_WINDOW_SECONDS,
    minFailedAttempts: s.GUARD_MIN_FAILED_ATTEMPTS,
    minDistinctUsers: s.GUARD_MIN_DISTINCT_USERS,
    hashMinDistinctUsers: s.GUARD_HASH_MIN_DISTINCT_USERS,
  };
}
export type GuardThresholds = ReturnType<typeof guardThresholds>;

type Candidate = {
  book_id: string;
  resumed_at: string | null;
  business_id: string;
  name: string;
  failed_attempts: number;
  distinct_users: number;
  distinct_ips: number;
  top_hash_users: number;
  trigger: "FAILED_ATTEMPTS" | "LEAKED_CODE";
};

/**
 * ACTIVE UNIQUE campaigns over a threshold in the window (DESIGN §8). A failed attempt is an
 * INVALID one: an unknown code attributed to the campaign by its prefix, or one of its own codes
 * that is someone else's (a code ops disabled is left out: trying it again is no news). Two triggers: many failures from many shoppers (guessing),
 * or one of its codes tried by many shoppers (a leaked code). Only attempts after the campaign's
 * last resume count, so an operator's unpause is not undone by the burst they already judged.
 * GENERIC campaigns are shared by design and never paused for popularity.
 */
export async function findGuardCandidates(db: Db, t: GuardThresholds) {
  const rows = await db.execute<Candidate>(sql`
    with failures as (
      select coalesce(a.book_id, a.attributed_book_id) as book_id, a.user_id, a.ip_hash, a.normalized_code_hash, a.book_id is not null as own_code
      from promo_attempts a
      join coupon_books b on b.id = coalesce(a.book_id, a.attributed_book_id)
      where a.attempted_at > now() - make_interval(secs => ${t.windowSeconds})
        and a.result = 'INVALID'
        -- A code ops disabled (containment) keeps being tried after a safe resume: not a new incident.
        and a.reason <> 'CODE_DISABLED'
        and b.status = 'ACTIVE' and b.code_kind = 'UNIQUE'
        and (b.expires_at is null or b.expires_at > now())
        and a.attempted_at > coalesce(b.resumed_at, '-infinity'::timestamptz)
    ),
    per_book as (
      select book_id, count(*)::int as failed_attempts, count(distinct user_id)::int as distinct_users,
             count(distinct ip_hash)::int as distinct_ips
      from failures group by book_id
    ),
    per_hash as (
      select book_id, max(users)::int as top_hash_users
      from (select book_id, normalized_code_hash, count(distinct user_id) as users from failures where own_code group by 1, 2) h
      group by book_id
    )
    select p.book_id, b.resumed_at::text as resumed_at, b.business_id, b.name, p.failed_attempts, p.distinct_users, p.distinct_ips,
           coalesce(h.top_hash_users, 0) as top_hash_users,
           case when p.failed_attempts >= ${t.minFailedAttempts} and p.distinct_users >= ${t.minDistinctUsers}
                then 'FAILED_ATTEMPTS' else 'LEAKED_CODE' end as trigger
    from per_book p
    join coupon_books b on b.id = p.book_id
    left join per_hash h on h.book_id = p.book_id
    where (p.failed_attempts >= ${t.minFailedAttempts} and p.distinct_users >= ${t.minDistinctUsers})
       or coalesce(h.top_hash_users, 0) >= ${t.hashMinDistinctUsers}
    order by p.failed_attempts desc`);
  return [...rows];
}

/**
 * Pauses one candidate (compare-and-set ACTIVE → PAUSED by `system:guard`, audited, and only if
 * nobody resumed it since the evidence was read) and raises `promo_campaign_auto_paused` in the same
 * transaction. Null when the campaign changed meanwhile: it is left as it is.
 */
export async function pauseCandidate(db: Db, candidate: Candidate, thresholds: GuardThresholds) {
  return db.transaction(async (tx) => {
    let book;
    try {
      book = await setCampaignStatus(tx, ACTOR, META, {
        bookId: candidate.book_id,
        status: "PAUSED",
        reason: `brute-force guard: ${candidate.trigger}`,
        ifResumedAt: candidate.resumed_at,
      });
    } catch (error) {
      if (isAppError(error) && error.code === "INVALID_STATUS_TRANSITION") return null;
      throw error;
    }
    const alertId = await raiseAlert(tx, {
      event: "promo_campaign_auto_paused",
      dedupeKey: `promo_campaign_auto_paused:${book.id}:${book.updatedAt.toISOString()}`,
      summary: `Campaign "${book.name}" auto-paused by the brute-force guard (${candidate.failed_attempts} failed attempts from ${candidate.distinct_users} shoppers in ${thresholds.windowSeconds / 60} min)`,
      businessId: book.businessId,
      bookId: book.id,
      details: {
        trigger: candidate.trigger,
        failedAttempts: candidate.failed_attempts,
        distinctUsers: candidate.distinct_users,
        distinctIps: candidate.distinct_ips,
        topCodeHashDistinctUsers: candidate.top_hash_users,
        windowSeconds: thresholds.windowSeconds,
        codePrefix: book.codePrefix,
        runbook: "docs/runbooks/promo-incident-response.md",
      },
    });
    return { bookId: book.id, alertId };
  });
}

/** `bruteforce-guard`: pauses every candidate, then delivers the alerts it raised. */
export async function runBruteforceGuard(db: Db) {
  const thresholds = guardThresholds();
  const candidates = await findGuardCandidates(db, thresholds);
  const alertIds: string[] = [];
  let paused = 0;
  for (const candidate of candidates) {
    const pause = await pauseCandidate(db, candidate, thresholds);
    if (!pause) continue;
    paused++;
    if (pause.alertId) alertIds.push(pause.alertId);
  }
  const delivery = alertIds.length > 0 ? await deliverDueAlerts(db, { alertIds }) : null;
  return {
    candidates: candidates.length,
    paused,
    alertsRaised: alertIds.length,
    alertsDelivered: delivery?.delivered ?? 0,
  };
}

export const bruteforceGuardJob: Job = {
  name: "bruteforce-guard",
  description: "pauses UNIQUE campaigns under a guessing burst or with a leaked code; raises promo_campaign_auto_paused",
  run: runBruteforceGuard,
};
