import Link from "next/link";
import { utcMinute } from "@/components/format";
import { Badge } from "@/components/ui/badge";
import { ResponsiveTable, TBody, Td, Th, THead, Tr } from "@/components/ui/table";
import type { AuditDetails, AuditTrailEntry } from "@/lib/ops/audit-trail";
import { campaignHref } from "@/components/ops/links";

const MAX_VALUE = 80;
const MAX_USER_AGENT = 40;

const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/** A details value in a few words: scalars as they are, short lists inline, anything bigger counted. */
function detailValue(value: unknown): string {
  if (value === null || value === undefined) return "—";
  if (Array.isArray(value)) {
    if (value.length === 0) return "none";
    if (value.length <= 3 && value.every((item) => typeof item !== "object" || item === null)) return clip(value.join(", "), MAX_VALUE);
    return `${value.length} items`;
  }
  if (typeof value === "object") return clip(JSON.stringify(value), MAX_VALUE);
  return clip(String(value), MAX_VALUE);
}

function DetailList({ entry }: { entry: AuditTrailEntry }) {
  const facts: [string, string][] = [
    ...(entry.userId ? [["shopper", entry.userId] as [string, string]] : []),
    ...(entry.orderId ? [["order", entry.orderId] as [string, string]] : []),
    ...(entry.redeemCount !== null ? [["redeem count", String(entry.redeemCount)] as [string, string]] : []),
    ...(entry.target ? [[entry.target.type, entry.target.id] as [string, string]] : []),
    ...Object.entries(entry.details as AuditDetails).map(([key, value]) => [key, detailValue(value)] as [string, string]),
  ];
  return (
    <div className="grid gap-1">
      {entry.reason ? (
        <p>
          <span className="text-muted">Reason:</span> {entry.reason}
        </p>
      ) : null}
      {facts.length > 0 ? (
        <dl className="grid grid-cols-[auto_1fr] gap-x-2 text-xs">
          {facts.map(([key, value]) => (
            <div key={key} className="contents">
              <dt className="text-muted">{key}</dt>
              <dd className="break-all">{value}</dd>
            </div>
          ))}
        </dl>
      ) : null}
    </div>
  );
}

/**
 * The ops audit trail as a table, newest first: when, what, who (the actor label and, for a
 * signed-in user, their name), which campaign (linking to it on the campaigns page) or seller, the
 * status change, the reason and details (never a coupon code), and where it came from.
 */
export function AuditTrailTable({ entries }: { entries: AuditTrailEntry[] }) {
  // Fixed-width wrappers: the table sizes its columns to their content, so long ids would otherwise widen it past the page.
  return (
    <ResponsiveTable label="Audit trail entries, newest first">
      <THead>
        <Tr>
          <Th>Time (UTC)</Th>
          <Th>Action and status</Th>
          <Th>Actor and origin</Th>
          <Th>Campaign</Th>
          <Th>Reason and details</Th>
        </Tr>
      </THead>
      <TBody>
        {entries.map((entry) => (
          <Tr key={`${entry.source}-${entry.id}`}>
            <Td>
              <time dateTime={entry.at} className="block w-24">
                {utcMinute(entry.at).replace(" UTC", "")}
              </time>
            </Td>
            <Td>
              <Badge tone={entry.source === "ops" ? "info" : "neutral"}>{entry.action}</Badge>
              {entry.previousStatus || entry.newStatus ? (
                <span className="mt-1 block text-xs whitespace-nowrap">
                  {entry.previousStatus ?? "—"} <span aria-hidden="true">→</span>
                  <span className="sr-only">to</span> {entry.newStatus ?? "—"}
                </span>
              ) : null}
            </Td>
            <Td>
              <div className="w-48">
                {entry.actorName ? <span className="block font-medium">{entry.actorName}</span> : null}
                <span className="block font-mono text-xs break-all">{entry.actor}</span>
                <span className="mt-1 block text-xs break-all text-muted">
                  {entry.ip ?? "no ip"}
                  {entry.userAgent ? ` · ${clip(entry.userAgent, MAX_USER_AGENT)}` : ""}
                </span>
              </div>
            </Td>
            <Td>
              <div className="w-40 break-words">
                {entry.campaign?.name ? (
                  <Link href={campaignHref(entry.campaign.id)}>{entry.campaign.name}</Link>
                ) : entry.campaign ? (
                  <span className="font-mono text-xs break-all">{entry.campaign.id}</span>
                ) : (
                  "—"
                )}
                {entry.business?.name ? <span className="block text-xs text-muted">{entry.business.name}</span> : null}
              </div>
            </Td>
            <Td>
              <div className="w-80">
                <DetailList entry={entry} />
              </div>
            </Td>
          </Tr>
        ))}
      </TBody>
    </ResponsiveTable>
  );
}
