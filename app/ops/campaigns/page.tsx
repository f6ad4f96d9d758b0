import type { Metadata } from "next";
import Link from "next/link";
import { connection } from "next/server";
import { CampaignStatus, CampaignUsageBars, campaignType, validityOf, validityWindow } from "@/components/ops/campaign-display";
import { PauseCampaignDialog } from "@/components/ops/pause-campaign-dialog";
import { Alert } from "@/components/ui/alert";
import { Button, buttonClasses } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { Input, Label, Select } from "@/components/ui/field";
import { PageHeader } from "@/components/ui/page-header";
import { db } from "@/db/client";
import { BOOK_STATUSES } from "@/lib/coupons/schemas";
import { isPausedByOperator } from "@/lib/coupons/paused-by";
import type { CampaignDto } from "@/lib/ops/campaign-dto";
import { listBusinesses, MAX_LISTED_BUSINESSES } from "@/lib/ops/list-businesses";
import { listCampaigns } from "@/lib/ops/list-campaigns";
import { ListCampaignsQuery } from "@/lib/ops/schemas";
import { opsPageActor } from "@/app/ops/page-context";
import { pauseCampaignAction } from "./actions";

export const metadata: Metadata = { title: "Campaigns · Ops" };

const PATH = "/ops/campaigns";
const PAGE_SIZE = 25;
const VALIDITIES = [
  { value: "current", label: "Current" },
  { value: "upcoming", label: "Upcoming" },
  { value: "expired", label: "Expired" },
] as const;
const FILTER_LABELS: Record<string, string> = { status: "Status", businessId: "Seller", q: "Search", validity: "Validity" };

type Search = Record<string, string | string[] | undefined>;

/** The URL's filters as the API reads them: an empty field of the form ("Any status") is no filter, not a bad one. */
function rawFilters(search: Search): Record<string, string> {
  const raw: Record<string, string> = {};
  for (const [key, value] of Object.entries(search)) {
    const last = Array.isArray(value) ? value.at(-1) : value;
    if (typeof last === "string" && last.trim() !== "") raw[key] = last;
  }
  return raw;
}

/** A link to another page of the same filters. */
function pageHref(query: ListCampaignsQuery, offset: number) {
  const params = new URLSearchParams();
  if (query.q) params.set("q", query.q);
  if (query.status) params.set("status", query.status);
  if (query.businessId) params.set("businessId", query.businessId);
  if (query.validity) params.set("validity", query.validity);
  if (query.limit !== PAGE_SIZE) params.set("limit", String(query.limit));
  if (offset > 0) params.set("offset", String(offset));
  const search = params.toString();
  return search ? `${PATH}?${search}` : PATH;
}

function CampaignCard({ campaign, businessName }: { campaign: CampaignDto; businessName: string }) {
  const canPause = campaign.status === "ACTIVE" || (campaign.status === "PAUSED" && !isPausedByOperator(campaign.pausedBy));
  return (
    <li className="rounded-lg border border-line p-4">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="min-w-0">
          <h2 className="font-semibold break-words">
            <Link href={`${PATH}/${campaign.id}`}>{campaign.name}</Link>
          </h2>
          <p className="text-sm break-words text-muted">
            {businessName} · {campaignType(campaign)}
          </p>
        </div>
        <div className="flex flex-wrap items-center gap-2">
          {campaign.status === "PAUSED" ? (
            <Link href={`${PATH}/${campaign.id}/unpause`} className={buttonClasses("primary", "sm")}>
              Safe unpause<span className="sr-only"> {campaign.name}</span>
            </Link>
          ) : null}
          {canPause ? <PauseCampaignDialog campaignId={campaign.id} campaignName={campaign.name} takeOver={campaign.status === "PAUSED"} pause={pauseCampaignAction} /> : null}
          <Link href={`${PATH}/${campaign.id}#campaign-codes`} className={buttonClasses("secondary", "sm")}>
            Codes<span className="sr-only"> of {campaign.name}</span>
          </Link>
        </div>
      </div>
      <div className="mt-3 grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
        <div className="min-w-0 text-sm">
          <div className="text-muted">Status</div>
          <CampaignStatus campaign={campaign} />
        </div>
        <div className="min-w-0 text-sm">
          <div className="text-muted">Validity · {validityOf(campaign)}</div>
          <div className="font-medium">{validityWindow(campaign)}</div>
        </div>
        <CampaignUsageBars campaign={campaign} />
      </div>
    </li>
  );
}

/**
 * Every business's campaigns for ops, newest first (GET /api/internal/promo/campaigns's service and
 * query schema): filters by status, seller, search and validity, usage bars against the caps, and
 * per campaign the actions of an incident: pause with a reason, the safe unpause, its codes.
 */
export default async function OpsCampaignsPage({ searchParams }: { searchParams: Promise<Search> }) {
  await connection();
  await opsPageActor(PATH);
  const raw = rawFilters(await searchParams);
  const parsed = ListCampaignsQuery.safeParse({ limit: String(PAGE_SIZE), ...raw });
  const query = parsed.success ? parsed.data : null;
  const page = query ? await listCampaigns(db, query) : null;
  const businesses = await listBusinesses(db, { include: [...(query?.businessId ? [query.businessId] : []), ...(page?.data.map((c) => c.businessId) ?? [])] });
  const businessName = new Map(businesses.data.map((b) => [b.id, b.name]));
  const filtered = Object.keys(raw).some((key) => key in FILTER_LABELS);
  const shownFrom = page && page.total > 0 ? page.offset + 1 : 0;
  const shownTo = page ? page.offset + page.data.length : 0;

  return (
    <>
      <PageHeader
        title="Campaigns"
        description={page ? `Every business's campaigns · ${page.total.toLocaleString("en-US")} ${filtered ? "match" : "in all"}` : "Every business's campaigns"}
      />
      <form method="get" action={PATH} role="search" aria-label="Campaigns" className="mb-6 grid gap-3 sm:grid-cols-2 lg:grid-cols-[2fr_1fr_1.5fr_1fr_auto] lg:items-end">
        <div className="grid gap-1">
          <Label htmlFor="campaigns-q">Search</Label>
          <Input id="campaigns-q" name="q" type="search" defaultValue={typeof raw.q === "string" ? raw.q : ""} placeholder="Name, code prefix or public code" />
        </div>
        <div className="grid gap-1">
          <Label htmlFor="campaigns-status">Status</Label>
          <Select id="campaigns-status" name="status" defaultValue={query?.status ?? ""}>
            <option value="">Any status</option>
            {BOOK_STATUSES.map((status) => (
              <option key={status} value={status}>
                {status.charAt(0) + status.slice(1).toLowerCase()}
              </option>
            ))}
          </Select>
        </div>
        <div className="grid gap-1">
          <Label htmlFor="campaigns-seller">Seller</Label>
          <Select id="campaigns-seller" name="businessId" defaultValue={query?.businessId ?? ""}>
            <option value="">Every seller</option>
            {businesses.data.map((business) => (
              <option key={business.id} value={business.id}>
                {business.name}
              </option>
            ))}
          </Select>
        </div>
        <div className="grid gap-1">
          <Label htmlFor="campaigns-validity">Validity</Label>
          <Select id="campaigns-validity" name="validity" defaultValue={query?.validity ?? ""}>
            <option value="">Any time</option>
            {VALIDITIES.map((validity) => (
              <option key={validity.value} value={validity.value}>
                {validity.label}
              </option>
            ))}
          </Select>
        </div>
        <div className="flex gap-2">
          <Button type="submit" variant="secondary">
            Filter
          </Button>
          {filtered ? (
            <Link href={PATH} className={buttonClasses("ghost")}>
              Clear
            </Link>
          ) : null}
        </div>
      </form>
      {businesses.total > MAX_LISTED_BUSINESSES ? (
        <p className="-mt-4 mb-6 text-sm text-muted">
          The seller list shows the first {MAX_LISTED_BUSINESSES} of {businesses.total.toLocaleString("en-US")} businesses by name; search narrows the campaigns of any of them.
        </p>
      ) : null}

      {!parsed.success ? (
        <Alert>
          <p className="font-medium">These filters cannot be applied:</p>
          <ul className="mt-1 list-disc pl-5">
            {parsed.error.issues.map((issue) => (
              <li key={`${issue.path.join(".")}:${issue.message}`}>
                {FILTER_LABELS[String(issue.path[0])] ?? String(issue.path[0] ?? "filter")} “{raw[String(issue.path[0])] ?? ""}”: {issue.message}
              </li>
            ))}
          </ul>
          <p className="mt-2">
            <Link href={PATH}>Clear the filters</Link> or pick values from the form.
          </p>
        </Alert>
      ) : page!.data.length === 0 ? (
        filtered ? (
          <EmptyState title="No campaigns match">Try other filters, or clear them.</EmptyState>
        ) : page!.total > 0 ? (
          <EmptyState title="No campaigns on this page">
            <Link href={PATH}>Back to the first page</Link>
          </EmptyState>
        ) : (
          <EmptyState title="No campaigns yet">Sellers create campaigns (coupon books) in their console or through the API; they show up here.</EmptyState>
        )
      ) : (
        <>
          <ul aria-label="Campaigns" className="grid gap-3">
            {page!.data.map((campaign) => (
              <CampaignCard key={campaign.id} campaign={campaign} businessName={businessName.get(campaign.businessId) ?? campaign.businessId} />
            ))}
          </ul>
          <nav aria-label="Pages" className="mt-4 flex flex-wrap items-center justify-between gap-3 text-sm">
            <span className="text-muted">
              {shownFrom}–{shownTo} of {page!.total.toLocaleString("en-US")}
            </span>
            <span className="flex gap-2">
              {page!.offset > 0 ? (
                <Link href={pageHref(query!, Math.max(0, page!.offset - query!.limit))} className={buttonClasses("secondary", "sm")}>
                  Previous
                </Link>
              ) : null}
              {shownTo < page!.total ? (
                <Link href={pageHref(query!, page!.offset + query!.limit)} className={buttonClasses("secondary", "sm")}>
                  Next
                </Link>
              ) : null}
            </span>
          </nav>
        </>
      )}
    </>
  );
}
