import type { ReactNode } from "react";
import { discountLabel, formatMoney, utcMinute } from "@/components/format";
import { BookStatusBadge } from "@/components/ui/badge";
import type { CampaignDto } from "@/lib/ops/campaign-dto";
import { UsageBar } from "./usage-bar";

/** Where a campaign stands against its validity window, as the list's validity filter reads it. */
export function validityOf(campaign: Pick<CampaignDto, "status" | "validFrom" | "expiresAt">, now = Date.now()): "Current" | "Upcoming" | "Expired" {
  if (campaign.status === "EXPIRED" || (campaign.expiresAt !== null && Date.parse(campaign.expiresAt) <= now)) return "Expired";
  if (campaign.validFrom !== null && Date.parse(campaign.validFrom) > now) return "Upcoming";
  return "Current";
}

export function validityWindow(campaign: Pick<CampaignDto, "validFrom" | "expiresAt">): string {
  if (!campaign.validFrom && !campaign.expiresAt) return "No start or end date";
  return `${campaign.validFrom ? utcMinute(campaign.validFrom) : "from creation"} → ${campaign.expiresAt ? utcMinute(campaign.expiresAt) : "no end date"}`;
}

/** "Unique codes, 20% off" / "Public code WELCOME10, $5.00 off": the seed's promo_type in our terms. */
export function campaignType(campaign: Pick<CampaignDto, "codeKind" | "code" | "discountType" | "discountValue" | "currency">) {
  return (
    <>
      {campaign.codeKind === "GENERIC" ? (
        <>
          Public code <code>{campaign.code}</code>
        </>
      ) : (
        "Unique codes"
      )}
      , {discountLabel(campaign)}
    </>
  );
}

/** The status badge, and for a pause who made it (ops:<id>, system:guard, seller:<id>). */
export function CampaignStatus({ campaign }: { campaign: Pick<CampaignDto, "status" | "pausedBy"> }) {
  return (
    <span className="inline-flex min-w-0 flex-wrap items-center gap-x-2 gap-y-1">
      <BookStatusBadge status={campaign.status} />
      {campaign.status === "PAUSED" && campaign.pausedBy ? <span className="text-sm break-all text-muted">paused by {campaign.pausedBy}</span> : null}
    </span>
  );
}

/**
 * Uses and budget against their caps. Both count applied uses plus live reservations, as the
 * checkout's caps do (DESIGN §5.8), so a full bar means shoppers are being turned away now.
 */
export function CampaignUsageBars({ campaign }: { campaign: Pick<CampaignDto, "usage" | "maxTotalRedemptions" | "budgetAmount" | "currency"> }) {
  const { usage } = campaign;
  return (
    <>
      <UsageBar label="Uses" unit="uses" used={usage.appliedUses + usage.liveReservations} cap={campaign.maxTotalRedemptions} />
      <UsageBar label="Budget" used={usage.discountApplied + usage.discountReserved} cap={campaign.budgetAmount} format={(n) => formatMoney(n, campaign.currency)} />
    </>
  );
}

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="min-w-0">
      <dt className="text-sm text-muted">{label}</dt>
      <dd className="mt-0.5 font-medium break-words">{children}</dd>
    </div>
  );
}

const count = (n: number) => n.toLocaleString("en-US");

/**
 * The runbook's "verify campaign metadata" (seed 001 §4.1: name, type, scope, status, validity, max
 * uses, used) in this schema's terms, plus the limits and codes an operator checks with them.
 */
export function CampaignFacts({ campaign, businessName }: { campaign: CampaignDto; businessName: string }) {
  const { usage } = campaign;
  return (
    <dl className="grid grid-cols-2 gap-4 rounded-lg border border-line p-4 lg:grid-cols-4">
      <Fact label="Name">{campaign.name}</Fact>
      <Fact label="Type">{campaignType(campaign)}</Fact>
      <Fact label="Scope">
        {businessName}&apos;s items in {campaign.currency}
        {campaign.minOrderAmount > 0 ? `, orders from ${formatMoney(campaign.minOrderAmount, campaign.currency)}` : ", any order"}
        {campaign.maxDiscountAmount !== null ? `, at most ${formatMoney(campaign.maxDiscountAmount, campaign.currency)} off` : ""}
      </Fact>
      <Fact label="Status">
        <CampaignStatus campaign={campaign} />
      </Fact>
      <Fact label={`Validity · ${validityOf(campaign)}`}>{validityWindow(campaign)}</Fact>
      <Fact label="Max uses">{campaign.maxTotalRedemptions === null ? "No cap" : count(campaign.maxTotalRedemptions)}</Fact>
      <Fact label="Used">
        {count(usage.appliedUses)} applied
        {usage.liveReservations > 0 ? ` + ${count(usage.liveReservations)} held` : ""}
      </Fact>
      <Fact label="Per shopper">
        {campaign.maxCodesPerUser} code{campaign.maxCodesPerUser === 1 ? "" : "s"}, {campaign.maxRedeemsPerUser} use{campaign.maxRedeemsPerUser === 1 ? "" : "s"} each
      </Fact>
      <Fact label="Codes">
        {count(usage.codes.total)} · {count(usage.codes.available)} available · {count(usage.codes.assigned)} assigned · {count(usage.codes.disabled)} disabled
      </Fact>
      <Fact label="Code prefix">{campaign.codePrefix ? <code>{campaign.codePrefix}</code> : "None"}</Fact>
      <Fact label="Budget">{campaign.budgetAmount === null ? "No cap" : formatMoney(campaign.budgetAmount, campaign.currency)}</Fact>
      <Fact label="Discount given">
        {formatMoney(usage.discountApplied, campaign.currency)}
        {usage.discountReserved > 0 ? ` + ${formatMoney(usage.discountReserved, campaign.currency)} held` : ""}
      </Fact>
    </dl>
  );
}
