import type { Metadata } from "next";
import Link from "next/link";
import { connection } from "next/server";
import { AuditTrailTable } from "@/components/ops/audit-trail-table";
import { Alert } from "@/components/ui/alert";
import { buttonClasses } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { FieldMessage, Input, Label } from "@/components/ui/field";
import { PageHeader } from "@/components/ui/page-header";
import { db } from "@/db/client";
import { actorLabel } from "@/lib/auth/actor";
import { AuditTrailQuery, CampaignNameInput } from "@/lib/ops/audit-schemas";
import { listAuditTrail } from "@/lib/ops/audit-trail";
import { listCampaignChoices, type CampaignChoice } from "@/lib/ops/campaign-choices";
import { opsPageActor } from "../page-context";

export const metadata: Metadata = { title: "Audit" };

const PAGE_SIZE = 50;
/** How many earlier cursors a URL keeps for "Newer"; "Newest" covers anything beyond. */
const TRAIL_MAX = 20;
/** The first page has no cursor; the trail spells it with this placeholder (cursors are base64url: no "-" alone, no "."). */
const FIRST = "-";
const FIELDS = ["bookId", "actor", "from", "to"] as const;
type Field = (typeof FIELDS)[number];
type Filters = Partial<Record<Field, string>>;

const one = (value: string | string[] | undefined) => (typeof value === "string" ? value : undefined);

function auditHref(filters: Filters, after?: string, trail: string[] = []) {
  const params = new URLSearchParams();
  for (const field of FIELDS) if (filters[field]) params.set(field, filters[field]);
  if (after) params.set("after", after);
  if (trail.length > 0) params.set("trail", trail.join("."));
  const search = params.toString();
  return `/ops/audit${search ? `?${search}` : ""}`;
}

/** A datetime-local field's value for an instant: minutes, UTC (what the field's label says). */
const localValue = (date: Date | undefined, raw: string | undefined) => (date ? date.toISOString().slice(0, 16) : (raw ?? ""));

/**
 * The audit trail for ops (lib/ops/audit-trail.ts): coupon, campaign and code changes and ops
 * actions, newest first, 50 a page by keyset; filtered by campaign (picked by name), exact actor
 * and a UTC time range. The filters go through the API's own query schema: a bad one is explained
 * next to its field, never a failed page.
 */
export default async function AuditPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await connection();
  const operator = await opsPageActor("/ops/audit");
  const me = actorLabel(operator);
  const params = await searchParams;
  const raw: Filters = Object.fromEntries(FIELDS.map((field) => [field, one(params[field])?.trim() || undefined]));
  const campaignName = one(params.campaign)?.trim() || undefined;
  const trail = (one(params.trail) ?? "").split(".").filter(Boolean).slice(-TRAIL_MAX);
  const after = one(params.after) || undefined;

  // A campaign picked by name: one match is the filter, several are offered to pick from, none is said.
  let choices: CampaignChoice[] = [];
  let campaignProblem: string | null = null;
  if (!raw.bookId && campaignName !== undefined) {
    const name = CampaignNameInput.safeParse(campaignName);
    if (!name.success) campaignProblem = `Campaign ${name.error.issues[0]!.message}`;
    else {
      choices = await listCampaignChoices(db, { name: name.data });
      if (choices.length === 0) campaignProblem = `No campaign's name contains “${name.data}”`;
      else if (choices.length === 1) raw.bookId = choices[0]!.id;
    }
  }
  const picking = !raw.bookId && choices.length > 1;

  const parsed = AuditTrailQuery.safeParse({ ...raw, after, limit: PAGE_SIZE });
  const fieldErrors: Partial<Record<Field | "after", string>> = {};
  if (!parsed.success) for (const issue of parsed.error.issues) fieldErrors[String(issue.path[0]) as Field] ??= issue.message;
  // A name with one match has found its campaign already; a bookId from a link is looked up.
  const [campaign] =
    parsed.success && parsed.data.bookId
      ? choices.length === 1 && choices[0]!.id === parsed.data.bookId
        ? choices
        : await listCampaignChoices(db, { id: parsed.data.bookId }, 1)
      : [];
  if (parsed.success && parsed.data.bookId && !campaign) campaignProblem = "No campaign has the id in this link";
  const page = parsed.success && !picking && !campaignProblem ? await listAuditTrail(db, parsed.data) : null;

  const filters: Filters = { ...raw };
  const filtered = FIELDS.some((field) => filters[field]);
  const previousCursor = trail.at(-1);
  const newerHref = previousCursor ? auditHref(filters, previousCursor === FIRST ? undefined : previousCursor, trail.slice(0, -1)) : null;
  const olderHref = page?.nextCursor ? auditHref(filters, page.nextCursor, [...trail, after ?? FIRST].slice(-TRAIL_MAX)) : null;
  const error = (field: Field) =>
    fieldErrors[field] ? (
      <FieldMessage id={`audit-${field}-error`} tone="error">
        {fieldErrors[field]}
      </FieldMessage>
    ) : null;
  const invalid = (field: Field) => (fieldErrors[field] ? { "aria-invalid": true, "aria-describedby": `audit-${field}-error` } : {});

  return (
    <>
      <PageHeader
        title="Audit trail"
        description="Every campaign, code and coupon change and every ops action, newest first. Times are UTC."
        actions={
          <Link href={auditHref({ actor: me })} className={buttonClasses("secondary")}>
            Only my actions
          </Link>
        }
      />

      <form method="get" action="/ops/audit" role="search" aria-label="Filter the audit trail" className="mb-6 grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
        <div className="min-w-0">
          {campaign ? (
            <>
              <input type="hidden" name="bookId" value={campaign.id} />
              <p className="text-sm font-medium">Campaign</p>
              <p className="mt-1 text-sm break-words">
                <span className="font-semibold">{campaign.name}</span> <span className="text-muted">({campaign.sellerName})</span>{" "}
                <Link href={auditHref({ ...filters, bookId: undefined })}>Any campaign</Link>
              </p>
            </>
          ) : (
            <>
              <Label htmlFor="audit-campaign">Campaign name</Label>
              <Input
                id="audit-campaign"
                name="campaign"
                type="search"
                defaultValue={campaignName ?? ""}
                autoComplete="off"
                {...(campaignProblem || fieldErrors.bookId ? { "aria-invalid": true, "aria-describedby": "audit-campaign-error" } : {})}
              />
              {campaignProblem || fieldErrors.bookId ? (
                <FieldMessage id="audit-campaign-error" tone="error">
                  {campaignProblem ?? `The campaign filter ${fieldErrors.bookId}`}
                </FieldMessage>
              ) : null}
            </>
          )}
        </div>
        <div className="min-w-0">
          <Label htmlFor="audit-actor">Actor (exact)</Label>
          <Input id="audit-actor" name="actor" defaultValue={raw.actor ?? ""} autoComplete="off" spellCheck={false} {...invalid("actor")} />
          {error("actor") ?? <FieldMessage>e.g. {me}, system:guard, apiKey:…, internal</FieldMessage>}
        </div>
        <div className="min-w-0">
          <Label htmlFor="audit-from">From (UTC)</Label>
          <Input
            id="audit-from"
            name="from"
            type="datetime-local"
            defaultValue={localValue(parsed.success ? parsed.data.from : undefined, raw.from)}
            {...invalid("from")}
          />
          {error("from")}
        </div>
        <div className="min-w-0">
          <Label htmlFor="audit-to">To (UTC)</Label>
          <Input id="audit-to" name="to" type="datetime-local" defaultValue={localValue(parsed.success ? parsed.data.to : undefined, raw.to)} {...invalid("to")} />
          {error("to")}
        </div>
        <div className="flex flex-wrap gap-2 sm:col-span-2 lg:col-span-4">
          <button type="submit" className={buttonClasses("primary")}>
            Apply
          </button>
          {filtered || campaignName ? (
            <Link href="/ops/audit" className={buttonClasses("ghost")}>
              Clear filters
            </Link>
          ) : null}
        </div>
      </form>

      {picking ? (
        <section aria-labelledby="audit-pick" className="mb-6 rounded-lg border border-line p-4">
          <h2 id="audit-pick" className="font-semibold">
            {choices.length} campaigns match “{campaignName}”: pick one
          </h2>
          <ul className="mt-2 grid gap-1">
            {choices.map((choice) => (
              <li key={choice.id}>
                <Link href={auditHref({ ...filters, bookId: choice.id })}>{choice.name}</Link> <span className="text-sm text-muted">· {choice.sellerName} · {choice.status}</span>
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      {!parsed.success ? (
        <Alert>
          {fieldErrors.after ? (
            <>
              This page link is out of date. <Link href={auditHref(filters)}>Start from the newest entries</Link>.
            </>
          ) : (
            "Check the highlighted filters."
          )}
        </Alert>
      ) : page === null ? null : page.data.length === 0 ? (
        <EmptyState title={filtered || after ? "No entries match these filters" : "No audit entries yet"}>
          {filtered ? "Widen the time range, or clear a filter." : "Changes to campaigns, codes and coupons, and ops actions, are recorded here as they happen."}
        </EmptyState>
      ) : (
        <section aria-labelledby="audit-results" className="min-w-0">
          <h2 id="audit-results" className="sr-only">
            Entries
          </h2>
          <AuditTrailTable entries={page.data} />
          <nav aria-label="Audit trail pages" className="mt-4 flex flex-wrap gap-2">
            {after ? (
              <Link href={auditHref(filters)} className={buttonClasses("secondary", "sm")}>
                Newest
              </Link>
            ) : null}
            {newerHref ? (
              <Link href={newerHref} className={buttonClasses("secondary", "sm")}>
                ← Newer
              </Link>
            ) : null}
            {olderHref ? (
              <Link href={olderHref} className={buttonClasses("secondary", "sm")}>
                Older →
              </Link>
            ) : null}
          </nav>
        </section>
      )}
    </>
  );
}
