import type { Metadata } from "next";
import Link from "next/link";
import { connection } from "next/server";
import { AlertCard } from "@/components/ops/alert-card";
import { Alert } from "@/components/ui/alert";
import { buttonClasses } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { Label, Select } from "@/components/ui/field";
import { PageHeader } from "@/components/ui/page-header";
import { db } from "@/db/client";
import { ALERT_EVENTS, ALERT_SEVERITIES } from "@/lib/alerts/kinds";
import { ALERT_EVENT_LABELS, humanizeKey } from "@/lib/ops/labels";
import { listAlertOutbox } from "@/lib/ops/list-alert-outbox";
import { ListAlertsQuery } from "@/lib/ops/schemas";
import { opsPageActor } from "@/app/ops/page-context";
import { retryAlertDeliveryAction } from "./actions";

export const metadata: Metadata = { title: "Alerts" };

const PAGE_SIZE = 20;
const DELIVERY_STATUSES = ["FAILED", "PENDING", "DELIVERED"] as const;
/** The filters the page offers (the API takes businessId and since too; a URL may still carry them). */
const FILTER_KEYS = ["severity", "eventType", "deliveryStatus", "businessId", "since"] as const;
type FilterKey = (typeof FILTER_KEYS)[number];
type Filters = Partial<Record<FilterKey, string>>;

const one = (value: string | string[] | undefined) => (typeof value === "string" && value !== "" ? value : undefined);

function alertsHref(filters: Filters, offset = 0) {
  const params = new URLSearchParams();
  for (const key of FILTER_KEYS) if (filters[key]) params.set(key, filters[key]);
  if (offset > 0) params.set("offset", String(offset));
  const search = params.toString();
  return `/ops/alerts${search ? `?${search}` : ""}`;
}

/**
 * Parses the URL with the API's own schema. A value it refuses (a hand-edited link) is named and
 * dropped, and the list is shown with the filters that remain, rather than failing the page.
 */
function parseQuery(raw: Record<string, string | string[] | undefined>) {
  const input: Filters & { offset?: string } = {};
  for (const key of FILTER_KEYS) input[key] = one(raw[key]);
  input.offset = one(raw.offset);
  const first = ListAlertsQuery.safeParse({ ...input, limit: PAGE_SIZE });
  if (first.success) return { query: first.data, filters: pick(input), refused: [] as string[] };
  const refused = [...new Set(first.error.issues.map((issue) => String(issue.path[0])))];
  const kept = Object.fromEntries(Object.entries(input).filter(([key]) => !refused.includes(key)));
  return { query: ListAlertsQuery.parse({ ...kept, limit: PAGE_SIZE }), filters: pick(kept), refused };
}

const pick = (input: Record<string, string | undefined>): Filters => Object.fromEntries(FILTER_KEYS.flatMap((key) => (input[key] ? [[key, input[key]]] : [])));

/**
 * The alert outbox for people on call (issue 13, DESIGN §8): every alert newest first, what it says
 * and about which campaign, each channel's delivery with its state, attempts, last error and next
 * try, and a retry for a FAILED one (sent at once, see lib/ops/alert-actions.ts). Filters go in the
 * URL, so a filtered view can be shared; 20 alerts a page.
 */
export default async function AlertsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await connection();
  await opsPageActor("/ops/alerts");
  const { query, filters, refused } = parseQuery(await searchParams);
  const page = await listAlertOutbox(db, query);
  const now = new Date();

  const filtered = Object.keys(filters).length > 0;
  const from = page.total === 0 ? 0 : Math.min(page.offset + 1, page.total);
  const to = Math.min(page.offset + page.data.length, page.total);
  const previousHref = page.offset > 0 ? alertsHref(filters, Math.max(0, page.offset - PAGE_SIZE)) : null;
  const nextHref = page.offset + page.data.length < page.total ? alertsHref(filters, page.offset + PAGE_SIZE) : null;

  return (
    <>
      <PageHeader
        title="Alerts"
        description={
          page.total === 0
            ? "The outbox of ops alerts and their delivery to each channel."
            : `${from}–${to} of ${page.total.toLocaleString("en-US")} alert${page.total === 1 ? "" : "s"}${filtered ? " matching the filters" : ""}, newest first.`
        }
        actions={
          <Link href={alertsHref({ deliveryStatus: "FAILED" })} className={buttonClasses("secondary")}>
            Failed deliveries
          </Link>
        }
      />

      <form method="get" action="/ops/alerts" role="search" aria-label="Filter alerts" className="mb-6 flex flex-wrap items-end gap-3">
        <div>
          <Label htmlFor="alerts-severity">Severity</Label>
          <Select id="alerts-severity" name="severity" defaultValue={filters.severity ?? ""}>
            <option value="">All</option>
            {ALERT_SEVERITIES.map((severity) => (
              <option key={severity} value={severity}>
                {humanizeKey(severity)}
              </option>
            ))}
          </Select>
        </div>
        <div className="min-w-0">
          <Label htmlFor="alerts-event">Event type</Label>
          <Select id="alerts-event" name="eventType" defaultValue={filters.eventType ?? ""}>
            <option value="">All</option>
            {ALERT_EVENTS.map((event) => (
              <option key={event} value={event}>
                {ALERT_EVENT_LABELS[event]}
              </option>
            ))}
          </Select>
        </div>
        <div>
          <Label htmlFor="alerts-delivery">Delivery status</Label>
          <Select id="alerts-delivery" name="deliveryStatus" defaultValue={filters.deliveryStatus ?? ""}>
            <option value="">Any</option>
            {DELIVERY_STATUSES.map((status) => (
              <option key={status} value={status}>
                {status}
              </option>
            ))}
          </Select>
        </div>
        {/* Filters the form does not show (a link from elsewhere) are kept when the others change. */}
        {filters.businessId ? <input type="hidden" name="businessId" value={filters.businessId} /> : null}
        {filters.since ? <input type="hidden" name="since" value={filters.since} /> : null}
        <button type="submit" className={buttonClasses("primary")}>
          Apply
        </button>
        {filtered ? (
          <Link href="/ops/alerts" className={buttonClasses("ghost")}>
            Clear
          </Link>
        ) : null}
      </form>

      {refused.length > 0 ? (
        <Alert className="mb-6">
          This link had a filter the list does not understand ({refused.map(humanizeKey).join(", ")}); it was left out.
        </Alert>
      ) : null}

      {page.data.length === 0 ? (
        <EmptyState title={filtered ? "No alerts match" : page.offset > 0 ? "No more alerts" : "No alerts yet"}>
          {filtered ? (
            <Link href="/ops/alerts">Show every alert</Link>
          ) : page.offset > 0 ? (
            <Link href="/ops/alerts">Back to the newest alerts</Link>
          ) : (
            "Alerts are raised when the guard pauses a campaign, reconciliation finds a difference or a paid order lost its coupon; they show here with their deliveries."
          )}
        </EmptyState>
      ) : (
        <ul className="grid gap-4" aria-label="Alerts">
          {page.data.map((alert) => (
            <li key={alert.id}>
              <AlertCard alert={alert} now={now} retry={retryAlertDeliveryAction} />
            </li>
          ))}
        </ul>
      )}

      {previousHref || nextHref ? (
        <nav aria-label="Alert pages" className="mt-6 flex flex-wrap justify-end gap-2 text-sm">
          {previousHref ? (
            <Link href={previousHref} className={buttonClasses("secondary", "sm")}>
              Newer
            </Link>
          ) : null}
          {nextHref ? (
            <Link href={nextHref} className={buttonClasses("secondary", "sm")}>
              Older
            </Link>
          ) : null}
        </nav>
      ) : null}
    </>
  );
}
