import type { ReactNode } from "react";
import { Badge } from "@/components/ui/badge";
import type { DashboardDto } from "@/lib/ops/dashboard-schemas";
import { percent, plural, pointsDelta } from "./format";

/**
 * How far acceptance may fall below the same window a week earlier before it is worth a look: the
 * seeds' "failures above baseline", with room for the ordinary wobble of a few points.
 */
const ACCEPTANCE_DROP = 0.05;
/** Under this many attempts a rate moves by whole points per attempt: no comparison is drawn. */
const MIN_ATTEMPTS_TO_COMPARE = 20;

/** The findings of one dashboard, each with what to do next (the incident runbook's steps). */
function findings(d: DashboardDto): { key: string; text: ReactNode }[] {
  const list: { key: string; text: ReactNode }[] = [];
  const candidates = d.guard.candidateAbusiveHashes.length;
  if (candidates > 0) {
    list.push({
      key: "candidates",
      text: (
        <>
          <a href="#ops-guard">{plural(candidates, "code hash", "code hashes")}</a> failing from several shoppers or again and again. Many shoppers on one
          campaign&apos;s prefix is a guessing burst, many on one hash a leaked code: pause that campaign from Campaigns and disable the leaked codes.
        </>
      ),
    });
  }
  const paused = d.guard.pausedCampaigns.recentlyPaused.length;
  if (paused > 0) {
    list.push({
      key: "paused",
      text: (
        <>
          <a href="#ops-paused">{plural(paused, "campaign")} paused in this window</a>: read who paused and why, and resume only through the safe
          unpause page once the burst has stopped.
        </>
      ),
    });
  }
  const now = d.attempts.acceptanceRate;
  const before = d.lastWeek.attempts.acceptanceRate;
  if (now !== null && before !== null && d.attempts.total >= MIN_ATTEMPTS_TO_COMPARE && d.lastWeek.attempts.total >= MIN_ATTEMPTS_TO_COMPARE && before - now >= ACCEPTANCE_DROP) {
    list.push({
      key: "acceptance",
      text: (
        <>
          Acceptance is {percent(now)}, {pointsDelta(now, before)} against a week earlier: the <a href="#ops-failures">failure mix</a> says whether it is
          abuse (INVALID), a campaign set up wrong (NOT_APPLICABLE, EXPIRED) or throttling (RATE_LIMITED).
        </>
      ),
    });
  }
  const r = d.reservations;
  if (r.expired > 0 && r.expired > r.applied) {
    list.push({
      key: "expired",
      text: (
        <>
          More reservations expired ({r.expired.toLocaleString("en-US")}) than were applied ({r.applied.toLocaleString("en-US")}): checkouts hold coupons and
          do not pay, or do not call apply. See <a href="#ops-reservations">reservations</a>.
        </>
      ),
    });
  }
  return list;
}

/** "Is promo healthy, and if not, what do I do": the findings first, before any figure. */
export function Attention({ dashboard }: { dashboard: DashboardDto }) {
  const list = findings(dashboard);
  const quiet = dashboard.attempts.total === 0 && dashboard.reservations.reserved === 0;
  return (
    <section aria-labelledby="ops-attention" className="mb-6 rounded-lg border border-line p-4">
      <h2 id="ops-attention" className="flex flex-wrap items-center gap-2 text-lg font-semibold">
        {list.length === 0 ? <Badge tone="success">Healthy</Badge> : <Badge tone="warning">Needs a look</Badge>}
        <span>{list.length === 0 ? "Nothing needs a look" : `${plural(list.length, "thing")} to look at`}</span>
      </h2>
      {list.length === 0 ? (
        <p className="mt-2 text-sm text-muted">
          {quiet
            ? "No promo traffic in this window: no attempt and no reservation. If shoppers should be using codes now, check that the checkout calls the promo API."
            : "No candidate abusive code hash, no campaign paused in this window, acceptance not below last week's, and more reservations applied than expired."}
        </p>
      ) : (
        <ul className="mt-2 grid list-disc gap-1 pl-5 text-sm">
          {list.map((item) => (
            <li key={item.key}>{item.text}</li>
          ))}
        </ul>
      )}
      <p className="mt-2 text-xs text-muted">
        Runbook: <code>docs/runbooks/promo-incident-response.md</code> (triage, classify, contain, safe unpause).
      </p>
    </section>
  );
}
