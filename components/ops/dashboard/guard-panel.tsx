import Link from "next/link";
import type { ReactNode } from "react";
import { buttonClasses } from "@/components/ui/button";
import { ResponsiveTable, TBody, Td, Th, THead, Tr } from "@/components/ui/table";
import type { DashboardDto } from "@/lib/ops/dashboard-schemas";
import type { DashboardNames } from "@/lib/ops/get-dashboard-names";
import { formatCount, hashPrefix, plural, utcMinute } from "./format";
import { campaignsHref, dashboardHref, pausedCampaignsHref, unpauseHref } from "@/components/ops/links";

type Props = { dashboard: DashboardDto; names: DashboardNames };
type Candidate = DashboardDto["guard"]["candidateAbusiveHashes"][number];
type PausedCampaign = DashboardDto["guard"]["pausedCampaigns"]["recentlyPaused"][number];

/** A seller's name (an id the names don't know yet, from a refresh, shows as its head) linking to the dashboard of that seller. */
function Seller({ dashboard, names, businessId }: Props & { businessId: string }) {
  const name = names.businesses[businessId] ?? `Seller ${businessId.slice(0, 8)}`;
  if (dashboard.businessId === businessId) return <>{name}</>;
  return (
    <Link href={dashboardHref(dashboard.window, businessId)} title={`The dashboard of ${name} only`}>
      {name}
    </Link>
  );
}

function Campaign({ candidate, names }: { candidate: Candidate; names: DashboardNames }) {
  const bookId = candidate.bookId ?? candidate.attributedBookId;
  if (!bookId) {
    return (
      <>
        <Link href={campaignsHref(candidate.businessId)}>Seller&apos;s campaigns</Link>
        <span className="block text-xs text-muted">unknown code, under no campaign&apos;s prefix</span>
      </>
    );
  }
  const name = names.books[bookId];
  return (
    <>
      <Link href={campaignsHref(candidate.businessId, name)}>{name ?? `Campaign ${bookId.slice(0, 8)}`}</Link>
      <span className="block text-xs text-muted">{candidate.bookId ? "one of its codes" : "unknown code under its prefix"}</span>
    </>
  );
}

const HashHead = ({ codeHash }: { codeHash: string }) => <code title="The head of the code's HMAC hash">{hashPrefix(codeHash)}…</code>;

/** One row as a card, for phones: a table of eight columns would hide the figures off-screen. */
function Card({ title, children }: { title: ReactNode; children: ReactNode }) {
  return (
    <li className="rounded-lg border border-line p-3 text-sm">
      <div className="font-medium break-words">{title}</div>
      <div className="mt-1 grid gap-1">{children}</div>
    </li>
  );
}

function Empty({ children }: { children: ReactNode }) {
  return <p className="rounded-lg border border-dashed border-line px-4 py-6 text-center text-muted">{children}</p>;
}

/** Candidate abusive code hashes: hash heads only (a code is never stored, the full hash never shown). */
function Candidates({ dashboard, names }: Props) {
  const { candidateAbusiveHashes: candidates, candidateRule: rule } = dashboard.guard;
  return (
    <section aria-labelledby="ops-guard" className="mb-8">
      <h2 id="ops-guard" className="text-lg font-semibold">
        Candidate abusive code hashes
      </h2>
      <p className="mt-1 mb-3 text-sm text-muted">
        A code is listed when its failed attempts in this window come from at least {plural(rule.minDistinctUsers, "shopper")} or number at least{" "}
        {formatCount(rule.minFailedAttempts)}: far below the guard&apos;s own thresholds, so you see it before the guard pauses anything. Codes are never
        stored; the first 12 characters of the hash identify one in the attempts and logs.
      </p>
      {candidates.length === 0 ? (
        <Empty>No code hash over the rule in this window.</Empty>
      ) : (
        <>
          <ul aria-label="Candidate abusive code hashes" className="grid gap-2 sm:hidden">
            {candidates.map((c) => (
              <Card
                key={`${c.businessId}:${c.codeHash}`}
                title={
                  <>
                    <HashHead codeHash={c.codeHash} /> · prefix <code>{c.codePrefix}</code>
                  </>
                }
              >
                <div>
                  <Campaign candidate={c} names={names} />
                </div>
                <div>
                  Seller: <Seller dashboard={dashboard} names={names} businessId={c.businessId} />
                </div>
                <div>
                  {plural(c.attempts, "failure")} · {plural(c.distinctUsers, "shopper")} · {plural(c.distinctIps, "IP")}
                </div>
                <div className="text-muted">Last seen {utcMinute(c.lastSeen)}</div>
              </Card>
            ))}
          </ul>
          <div className="hidden sm:block">
            <ResponsiveTable label="Code hashes over the rule in this window">
              <THead>
                <Tr>
                  <Th>Code hash</Th>
                  <Th>Code prefix</Th>
                  <Th>Campaign</Th>
                  <Th>Seller</Th>
                  <Th numeric>Failures</Th>
                  <Th numeric>Shoppers</Th>
                  <Th numeric>IPs</Th>
                  <Th>Last seen</Th>
                </Tr>
              </THead>
              <TBody>
                {candidates.map((c) => (
                  <Tr key={`${c.businessId}:${c.codeHash}`}>
                    <Td>
                      <HashHead codeHash={c.codeHash} />
                    </Td>
                    <Td>
                      <code>{c.codePrefix}</code>
                    </Td>
                    <Td>
                      <Campaign candidate={c} names={names} />
                    </Td>
                    <Td>
                      <Seller dashboard={dashboard} names={names} businessId={c.businessId} />
                    </Td>
                    <Td numeric>{formatCount(c.attempts)}</Td>
                    <Td numeric>{formatCount(c.distinctUsers)}</Td>
                    <Td numeric>{formatCount(c.distinctIps)}</Td>
                    <Td className="whitespace-nowrap">{utcMinute(c.lastSeen)}</Td>
                  </Tr>
                ))}
              </TBody>
            </ResponsiveTable>
          </div>
        </>
      )}
    </section>
  );
}

const UnpauseLink = ({ campaign }: { campaign: PausedCampaign }) => (
  <Link href={unpauseHref(campaign.bookId)} className={buttonClasses("secondary", "sm")} aria-label={`Safe unpause of ${campaign.name}`}>
    Safe unpause
  </Link>
);
/** Who paused: the account's email when the label names one, the guard by name, else the label as recorded. */
function PausedBy({ campaign, names }: { campaign: PausedCampaign; names: DashboardNames }) {
  const label = campaign.pausedBy;
  if (!label) return <>—</>;
  const account = names.accounts[label];
  if (account) return <span title={label}>{account}</span>;
  if (label === "system:guard") return <span title={label}>Brute-force guard</span>;
  return <>{label}</>;
}
const Reason = ({ campaign }: { campaign: PausedCampaign }) => <>{campaign.reason ?? <span className="text-muted">No reason given</span>}</>;

/** Campaigns paused in the window (still paused now): who, why, when, and the way back. */
function Paused({ dashboard, names }: Props) {
  const { total, recentlyPaused } = dashboard.guard.pausedCampaigns;
  return (
    <section aria-labelledby="ops-paused" className="mb-8">
      <h2 id="ops-paused" className="text-lg font-semibold">
        Campaigns paused in this window
      </h2>
      <p className="mt-1 mb-3 text-sm text-muted">
        {plural(total, "campaign")} paused now{dashboard.businessId ? " for this seller" : ""}
        {total > 0 ? (
          <>
            {" "}
            (<Link href={pausedCampaignsHref(dashboard.businessId)}>all paused campaigns</Link>)
          </>
        ) : null}
        . Resume one only through its safe unpause page, which shows the attempts since the pause and the runbook&apos;s checks.
      </p>
      {recentlyPaused.length === 0 ? (
        <Empty>No campaign was paused in this window.</Empty>
      ) : (
        <>
          <ul aria-label="Campaigns paused in this window" className="grid gap-2 sm:hidden">
            {recentlyPaused.map((p) => (
              <Card key={p.bookId} title={<Link href={campaignsHref(p.businessId, p.name)}>{p.name}</Link>}>
                <div>
                  Seller: <Seller dashboard={dashboard} names={names} businessId={p.businessId} />
                </div>
                <div className="break-all">
                  Paused by <PausedBy campaign={p} names={names} /> at {utcMinute(p.pausedAt)}
                </div>
                <div>
                  Reason: <Reason campaign={p} />
                </div>
                <div className="mt-1">
                  <UnpauseLink campaign={p} />
                </div>
              </Card>
            ))}
          </ul>
          <div className="hidden sm:block">
            <ResponsiveTable label="Paused campaigns: who, why and when">
              <THead>
                <Tr>
                  <Th>Campaign</Th>
                  <Th>Seller</Th>
                  <Th>Paused by</Th>
                  <Th>Reason</Th>
                  <Th>Paused at</Th>
                  <Th>
                    <span className="sr-only">Action</span>
                  </Th>
                </Tr>
              </THead>
              <TBody>
                {recentlyPaused.map((p) => (
                  <Tr key={p.bookId}>
                    <Td>
                      <Link href={campaignsHref(p.businessId, p.name)}>{p.name}</Link>
                    </Td>
                    <Td>
                      <Seller dashboard={dashboard} names={names} businessId={p.businessId} />
                    </Td>
                    <Td className="break-all">
                      <PausedBy campaign={p} names={names} />
                    </Td>
                    <Td className="min-w-48">
                      <Reason campaign={p} />
                    </Td>
                    <Td className="whitespace-nowrap">{utcMinute(p.pausedAt)}</Td>
                    <Td>
                      <UnpauseLink campaign={p} />
                    </Td>
                  </Tr>
                ))}
              </TBody>
            </ResponsiveTable>
          </div>
        </>
      )}
    </section>
  );
}

/** The guard indicators: what looks like abuse now, and what was already paused because of it. */
export function GuardPanel({ dashboard, names }: Props) {
  return (
    <>
      <Candidates dashboard={dashboard} names={names} />
      <Paused dashboard={dashboard} names={names} />
    </>
  );
}
