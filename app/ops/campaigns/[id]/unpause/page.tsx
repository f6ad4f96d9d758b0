import type { Metadata } from "next";
import Link from "next/link";
import { connection } from "next/server";
import type { ReactNode } from "react";
import { utcMinute } from "@/components/format";
import { AttemptFigureTiles, AttemptMixTable } from "@/components/ops/attempt-mix";
import { CampaignFacts, CampaignStatus, CampaignUsageBars } from "@/components/ops/campaign-display";
import { UnpauseForm } from "@/components/ops/unpause-form";
import { Alert } from "@/components/ui/alert";
import { buttonClasses } from "@/components/ui/button";
import { PageHeader } from "@/components/ui/page-header";
import { db } from "@/db/client";
import type { StatusChangeRecord } from "@/lib/ops/get-unpause-review";
import { getUnpauseReview } from "@/lib/ops/get-unpause-review";
import { opsPageActor } from "@/app/ops/page-context";
import { unpauseCampaignAction } from "../../actions";
import { campaignIdOrNotFound, orNotFound } from "../../campaign-page";
import { campaignHref } from "@/components/ops/links";

export const metadata: Metadata = { title: "Safe unpause · Ops" };

/** "just now", "12 min ago", "3 h ago", "2 days ago": how long the campaign has been paused, at a glance. */
function ago(iso: string, now = Date.now()) {
  const minutes = Math.max(0, Math.round((now - Date.parse(iso)) / 60_000));
  if (minutes < 1) return "just now";
  if (minutes < 90) return `${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  return hours < 48 ? `${hours} h ago` : `${Math.round(hours / 24)} days ago`;
}

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="min-w-0">
      <dt className="text-sm text-muted">{label}</dt>
      <dd className="mt-0.5 font-medium break-words">{children}</dd>
    </div>
  );
}

const who = (record: StatusChangeRecord) => (record.actorName ? `${record.actorName} (${record.actor})` : record.actor);

function Section({ id, title, children, intro }: { id: string; title: string; intro?: ReactNode; children: ReactNode }) {
  return (
    <section aria-labelledby={id} className="mb-8">
      <h2 id={id} className="text-lg font-semibold">
        {title}
      </h2>
      {intro ? <p className="mt-1 mb-3 max-w-prose text-sm text-muted">{intro}</p> : <div className="mb-3" />}
      {children}
    </section>
  );
}

/**
 * The incident runbook's safe unpause procedure (seed 001 §4) as a page: who paused the campaign,
 * when and why; its metadata to verify; the attempts since the pause with the last 15 minutes apart,
 * to judge whether the abuse burst is over; what to monitor afterwards; then the checks, a reason
 * and the confirm. After the unpause the same address says the campaign is ACTIVE again and shows
 * the attempts since, with the dashboard one click away. The API never refuses an ops unpause for
 * recent attempts (DESIGN §8): the judgement is the operator's, and this page lays out the evidence.
 */
export default async function SafeUnpausePage({ params }: { params: Promise<{ id: string }> }) {
  await connection();
  const { id } = await params;
  const actor = await opsPageActor(`/ops/campaigns/${id}/unpause`);
  const campaignId = campaignIdOrNotFound(id);
  const review = await orNotFound(getUnpauseReview(db, actor, campaignId));
  const { campaign, businessName, pause, resume, sincePause, sinceResume } = review;

  return (
    <>
      <p className="mb-2 text-sm">
        <Link href={campaignHref(campaign.id)}>← {campaign.name}</Link>
      </p>
      <PageHeader
        title={`Safe unpause: ${campaign.name}`}
        description={
          <span className="flex flex-wrap items-center gap-2">
            <CampaignStatus campaign={campaign} />
            <span>{businessName}</span>
          </span>
        }
      />

      {campaign.status === "PAUSED" && sincePause ? (
        <>
          <Section id="pause-record" title="Who paused it and why">
            <dl className="grid grid-cols-1 gap-4 rounded-lg border border-line p-4 sm:grid-cols-2 lg:grid-cols-4">
              {pause ? (
                <>
                  <Fact label="Paused by">{who(pause)}</Fact>
                  <Fact label="When">
                    {utcMinute(pause.at)} ({ago(pause.at)})
                  </Fact>
                  <Fact label="Reason">{pause.reason ?? "None given"}</Fact>
                  <Fact label="Taken over from">{pause.takenOverFrom ?? "—"}</Fact>
                </>
              ) : (
                <>
                  <Fact label="Paused by">{campaign.pausedBy ?? "Unknown"}</Fact>
                  <Fact label="When">The audit trail has no pause: the attempts below count from the campaign&apos;s last change, {utcMinute(sincePause.since)}.</Fact>
                </>
              )}
            </dl>
          </Section>

          <Section id="step-metadata" title="1. Verify the campaign's metadata" intro="A config regression (validity window, scope, limits) is fixed before the unpause, not after.">
            <CampaignFacts campaign={campaign} businessName={businessName} />
            <div className="mt-4 grid gap-4 rounded-lg border border-line p-4 sm:grid-cols-2">
              <CampaignUsageBars campaign={campaign} />
            </div>
          </Section>

          <Section
            id="step-burst"
            title="2. Is the abuse burst over?"
            intro={
              <>
                Attempts on the campaign&apos;s codes and the unknown codes attributed to it by prefix. Many failing codes or shoppers in the last {sincePause.recentMinutes} minutes mean the
                burst is still on: keep the campaign paused.
              </>
            }
          >
            <h3 className="mb-2 font-medium">Last {sincePause.recentMinutes} minutes (since {utcMinute(sincePause.recentSince)})</h3>
            <AttemptFigureTiles figures={sincePause.recent} label={`Attempts in the last ${sincePause.recentMinutes} minutes`} />
            <h3 className="mt-5 mb-2 font-medium">Since the pause ({utcMinute(sincePause.since)})</h3>
            <AttemptFigureTiles figures={sincePause.total} label="Attempts since the pause" />
            <div className="mt-4">
              <AttemptMixTable mix={sincePause} label="Attempts since the pause by result" from="the pause" />
            </div>
          </Section>

          <Section id="step-monitor" title="3. After the unpause, monitor for 10–15 minutes">
            <ul className="list-disc space-y-1 pl-5">
              <li>
                The failure mix and redemption success: on the <Link href="/ops">dashboard</Link>, and on this page, which shows the attempts since the unpause.
              </li>
              <li>
                Repeat autopause alerts: in the <Link href="/ops/alerts">alerts outbox</Link>. A second autopause means the burst is not over: leave it paused.
              </li>
            </ul>
          </Section>

          <UnpauseForm campaignId={campaign.id} campaignName={campaign.name} unpause={unpauseCampaignAction} />
        </>
      ) : sinceResume && resume ? (
        <>
          <Alert tone="info" className="mb-6">
            <p className="font-semibold">“{campaign.name}” is ACTIVE again.</p>
            <p className="mt-1">
              Unpaused by {who(resume)} at {utcMinute(resume.at)} ({ago(resume.at)}){resume.reason ? <>: {resume.reason}</> : null}. Monitor it for 10–15 minutes: the failure mix,
              redemption success and repeat autopause alerts.
            </p>
            <p className="mt-3 flex flex-wrap gap-2">
              <Link href="/ops" className={buttonClasses("primary", "sm")}>
                Monitor on the dashboard
              </Link>
              <Link href="/ops/alerts" className={buttonClasses("secondary", "sm")}>
                Alerts
              </Link>
              <Link href="/ops/campaigns" className={buttonClasses("secondary", "sm")}>
                Campaigns
              </Link>
            </p>
          </Alert>
          <Section id="since-unpause" title="Attempts since the unpause">
            <h3 className="mb-2 font-medium">Last {sinceResume.recentMinutes} minutes</h3>
            <AttemptFigureTiles figures={sinceResume.recent} label={`Attempts in the last ${sinceResume.recentMinutes} minutes`} />
            <div className="mt-4">
              <AttemptMixTable mix={sinceResume} label="Attempts since the unpause by result" from="the unpause" />
            </div>
          </Section>
        </>
      ) : (
        <Alert tone="info" className="mb-6">
          This campaign is {campaign.status}, not PAUSED: there is nothing to unpause. <Link href={campaignHref(campaign.id)}>Back to the campaign</Link>.
        </Alert>
      )}
    </>
  );
}
