import type { Metadata } from "next";
import Link from "next/link";
import { connection } from "next/server";
import { CampaignFacts, CampaignStatus, CampaignUsageBars } from "@/components/ops/campaign-display";
import { CampaignCodesForm } from "@/components/ops/campaign-codes-form";
import { PauseCampaignDialog } from "@/components/ops/pause-campaign-dialog";
import { Alert } from "@/components/ui/alert";
import { buttonClasses } from "@/components/ui/button";
import { PageHeader } from "@/components/ui/page-header";
import { db } from "@/db/client";
import { isPausedByOperator } from "@/lib/coupons/paused-by";
import { getCampaign } from "@/lib/ops/get-campaign";
import { opsPageActor } from "@/app/ops/page-context";
import { disableCampaignCodesAction, enableCampaignCodesAction, pauseCampaignAction } from "../actions";
import { campaignIdOrNotFound, orNotFound } from "../campaign-page";
import { unpauseHref } from "@/components/ops/links";

export const metadata: Metadata = { title: "Campaign · Ops" };

/**
 * One campaign for ops: its metadata and usage against the caps, pause (or the way to the safe
 * unpause), and the containment of a leaked batch: disable or enable pasted codes or all of them.
 */
export default async function OpsCampaignPage({ params }: { params: Promise<{ id: string }> }) {
  await connection();
  const { id } = await params;
  const actor = await opsPageActor(`/ops/campaigns/${id}`);
  const campaignId = campaignIdOrNotFound(id);
  const { campaign, businessName } = await orNotFound(getCampaign(db, actor, campaignId));
  const canPause = campaign.status === "ACTIVE" || (campaign.status === "PAUSED" && !isPausedByOperator(campaign.pausedBy));

  return (
    <>
      <p className="mb-2 text-sm">
        <Link href="/ops/campaigns">← Campaigns</Link>
      </p>
      <PageHeader
        title={campaign.name}
        description={
          <span className="flex flex-wrap items-center gap-2">
            <CampaignStatus campaign={campaign} />
            <span>{businessName}</span>
          </span>
        }
        actions={
          <>
            {campaign.status === "PAUSED" ? (
              <Link href={unpauseHref(campaign.id)} className={buttonClasses("primary")}>
                Safe unpause
              </Link>
            ) : null}
            {canPause ? <PauseCampaignDialog campaignId={campaign.id} campaignName={campaign.name} takeOver={campaign.status === "PAUSED"} size="md" pause={pauseCampaignAction} /> : null}
          </>
        }
      />
      {campaign.status === "PAUSED" ? (
        <Alert tone="info" className="mb-6">
          Paused by {campaign.pausedBy ?? "an unknown actor"}. Resume it through the <Link href={unpauseHref(campaign.id)}>safe unpause</Link>: who paused it and why, the
          attempts since, and the runbook&apos;s checks.
        </Alert>
      ) : null}

      <section aria-labelledby="campaign-metadata" className="mb-6">
        <h2 id="campaign-metadata" className="mb-3 text-lg font-semibold">
          Metadata
        </h2>
        <CampaignFacts campaign={campaign} businessName={businessName} />
      </section>

      <section aria-labelledby="campaign-usage" className="mb-8">
        <h2 id="campaign-usage" className="mb-3 text-lg font-semibold">
          Usage against the caps
        </h2>
        <div className="grid gap-4 rounded-lg border border-line p-4 sm:grid-cols-2">
          <CampaignUsageBars campaign={campaign} />
        </div>
      </section>

      <CampaignCodesForm campaignId={campaign.id} campaignName={campaign.name} totalCodes={campaign.usage.codes.total} disable={disableCampaignCodesAction} enable={enableCampaignCodesAction} />
    </>
  );
}
