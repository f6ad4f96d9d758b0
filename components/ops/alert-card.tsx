import { utcMinute } from "@/components/format";
import { Badge, BOOK_STATUS_TONE, type BadgeTone, type BookStatus } from "@/components/ui/badge";
import { alertEventLabel, CHANNEL_LABELS, detailEntries, type DetailEntry } from "@/lib/ops/labels";
import type { AlertOutboxItem } from "@/lib/ops/list-alert-outbox";
import { RetryDeliveryButton, type RetryDelivery } from "./retry-delivery-button";

const SEVERITY_TONE: Record<string, BadgeTone> = { critical: "danger", error: "danger", warning: "warning", info: "info" };
const DELIVERY_TONE: Record<AlertOutboxItem["deliveries"][number]["status"], BadgeTone> = { PENDING: "info", DELIVERED: "success", FAILED: "danger" };

type Delivery = AlertOutboxItem["deliveries"][number];

/** When a PENDING delivery is tried next, as a time and how far off it is (the page is rendered at `now`). */
function nextTry(delivery: Delivery, now: Date): string {
  if (delivery.status === "FAILED") return "none: retry to send it again";
  if (delivery.status !== "PENDING" || !delivery.nextAttemptAt) return "—";
  const inMs = Date.parse(delivery.nextAttemptAt) - now.getTime();
  if (inMs <= 0) return "due now";
  const minutes = Math.ceil(inMs / 60_000);
  return `${utcMinute(delivery.nextAttemptAt)} (in ${minutes} min)`;
}

function DetailRow({ entry }: { entry: DetailEntry }) {
  return (
    <div className="min-w-0">
      <dt className="text-muted">{entry.label}</dt>
      <dd className="break-words">
        {entry.value.kind === "text" ? (
          entry.value.text
        ) : (
          <details>
            <summary className="cursor-pointer">
              {entry.value.count} {entry.value.count === 1 ? "entry" : "entries"}
            </summary>
            <pre className="mt-1 max-h-64 max-w-full overflow-auto rounded-md bg-panel p-2 text-xs">{entry.value.json}</pre>
          </details>
        )}
      </dd>
    </div>
  );
}

function DeliveryRow({ delivery, summary, now, retry }: { delivery: Delivery; summary: string; now: Date; retry: RetryDelivery }) {
  const channel = CHANNEL_LABELS[delivery.channel];
  return (
    <li className="grid gap-2 rounded-md border border-line p-3 sm:grid-cols-[7rem_7rem_minmax(0,1fr)_auto] sm:items-start" aria-label={`${channel} delivery: ${delivery.status}`}>
      {/* One line on a phone; on wider screens the two are cells of the row's grid. */}
      <div className="flex items-center gap-2 sm:contents">
        <span className="font-medium">{channel}</span>
        <span>
          <Badge tone={DELIVERY_TONE[delivery.status]}>{delivery.status}</Badge>
        </span>
      </div>
      <dl className="grid min-w-0 grid-cols-2 gap-x-4 gap-y-1 text-sm sm:grid-cols-[auto_minmax(0,2fr)_minmax(0,1fr)]">
        <div>
          <dt className="text-muted">Attempts</dt>
          <dd className="tabular-nums">{delivery.attempts}</dd>
        </div>
        <div className="order-last col-span-2 min-w-0 sm:order-none sm:col-span-1">
          <dt className="text-muted">Last error</dt>
          <dd className="break-words">
            {delivery.lastError ?? (delivery.status === "DELIVERED" && delivery.deliveredAt ? `none (delivered ${utcMinute(delivery.deliveredAt)})` : "none")}
          </dd>
        </div>
        <div className="min-w-0">
          <dt className="text-muted">Next try</dt>
          <dd>{nextTry(delivery, now)}</dd>
        </div>
      </dl>
      <div>{delivery.status === "FAILED" ? <RetryDeliveryButton deliveryId={delivery.id} channel={channel} alertSummary={summary} retry={retry} /> : null}</div>
    </li>
  );
}

/**
 * One alert of the outbox: what happened (event, severity, the producer's summary), about which
 * business and campaign, the payload's details, and each channel's delivery with a retry for a
 * FAILED one. Severity and delivery states are words in their badges, never colour alone.
 */
export function AlertCard({ alert, now, retry }: { alert: AlertOutboxItem; now: Date; retry: RetryDelivery }) {
  const headingId = `alert-${alert.id}`;
  const details = detailEntries(alert.details);
  return (
    <article aria-labelledby={headingId} className="grid gap-3 rounded-lg border border-line bg-white p-4 sm:p-5">
      <div className="flex flex-wrap items-center gap-2">
        <Badge tone={SEVERITY_TONE[alert.severity] ?? "neutral"}>{alert.severity.toUpperCase()}</Badge>
        <h2 id={headingId} className="font-semibold">
          {alertEventLabel(alert.eventType)}
        </h2>
        <span className="text-sm text-muted">
          <time dateTime={alert.createdAt}>{utcMinute(alert.createdAt)}</time> · escalation {alert.escalation}
        </span>
      </div>
      <p className="break-words">{alert.summary}</p>
      <dl className="grid gap-3 text-sm sm:grid-cols-3">
        <div className="min-w-0">
          <dt className="text-muted">Business</dt>
          <dd className="break-words">{alert.businessName ?? (alert.businessId ? "unknown business" : "—")}</dd>
        </div>
        <div className="min-w-0">
          <dt className="text-muted">Campaign</dt>
          <dd className="break-words">
            {alert.book ? (
              <>
                {alert.book.name}{" "}
                <Badge tone={BOOK_STATUS_TONE[alert.book.status as BookStatus] ?? "neutral"}>{alert.book.status}</Badge>
              </>
            ) : alert.bookId ? (
              "unknown campaign"
            ) : (
              "—"
            )}
          </dd>
        </div>
        <div className="min-w-0">
          <dt className="text-muted">Event</dt>
          <dd className="font-mono text-xs break-all">{alert.eventType}</dd>
        </div>
      </dl>
      {details.length > 0 ? (
        <details className="rounded-md border border-line bg-panel px-3 py-2 text-sm">
          <summary className="cursor-pointer font-medium">Details</summary>
          <dl className="mt-2 grid grid-cols-2 gap-2 lg:grid-cols-3">
            {details.map((entry) => (
              <DetailRow key={entry.key} entry={entry} />
            ))}
          </dl>
        </details>
      ) : null}
      <section aria-labelledby={`${headingId}-deliveries`}>
        <h3 id={`${headingId}-deliveries`} className="mb-2 text-sm font-semibold">
          Deliveries
        </h3>
        {alert.deliveries.length === 0 ? (
          <p className="text-sm text-muted">No channel was configured when this alert was raised, so it was not sent anywhere.</p>
        ) : (
          <ul className="grid gap-2">
            {alert.deliveries.map((delivery) => (
              <DeliveryRow key={delivery.id} delivery={delivery} summary={alert.summary} now={now} retry={retry} />
            ))}
          </ul>
        )}
      </section>
    </article>
  );
}
