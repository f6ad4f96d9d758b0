import { utcMinute } from "@/components/format";
import { ResponsiveTable, TBody, Td, Th, THead, Tr } from "@/components/ui/table";
import type { AttemptFigures, CampaignAttemptMix } from "@/lib/ops/campaign-attempt-mix";

const count = (n: number) => n.toLocaleString("en-US");
const share = (part: number, whole: number) => (whole === 0 ? "—" : `${Math.round((part / whole) * 100)}%`);

/** The figures of one window as a row of tiles: what "is the burst over" is judged on. */
export function AttemptFigureTiles({ figures, label }: { figures: AttemptFigures; label: string }) {
  const tiles: [string, string][] = [
    ["Attempts", count(figures.attempts)],
    ["Accepted", count(figures.accepted)],
    ["Failed", figures.attempts === 0 ? "0" : `${count(figures.failures)} (${share(figures.failures, figures.attempts)})`],
    ["Failing codes", count(figures.failingCodeHashes)],
    ["Failing shoppers", count(figures.failingUsers)],
    ["Last failure", figures.lastFailureAt ? utcMinute(figures.lastFailureAt) : "None"],
  ];
  return (
    <dl aria-label={label} className="grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-6">
      {tiles.map(([name, value]) => (
        <div key={name} className="min-w-0 rounded-lg border border-line p-3">
          <dt className="text-xs text-muted">{name}</dt>
          <dd className="mt-0.5 font-semibold tabular-nums break-words">{value}</dd>
        </div>
      ))}
    </dl>
  );
}

/**
 * The attempts since a point in time by result, with the recent minutes apart: a table whose bars
 * draw each result's share of the window (the numbers are in the cells; the bars are decoration).
 */
/** `from` names the window's start in words: "the pause", "the unpause". */
export function AttemptMixTable({ mix, label, from }: { mix: CampaignAttemptMix; label: string; from: string }) {
  if (mix.byResult.length === 0) {
    return <p className="rounded-lg border border-dashed border-line px-4 py-6 text-center text-muted">No attempts on this campaign since {from}.</p>;
  }
  return (
    <ResponsiveTable label={label}>
      <THead>
        <Tr>
          <Th>Result</Th>
          <Th numeric>Since {from}</Th>
          <Th className="w-1/3">Share</Th>
          <Th numeric>Last {mix.recentMinutes} min</Th>
        </Tr>
      </THead>
      <TBody>
        {mix.byResult.map((row) => (
          <Tr key={row.result}>
            <Th scope="row" className="font-medium">
              {row.result}
            </Th>
            <Td numeric>{count(row.attempts)}</Td>
            <Td>
              <span className="flex items-center gap-2">
                <span aria-hidden="true" className="h-2 min-w-24 flex-1 overflow-hidden rounded-full bg-line/60">
                  <span className={`block h-full rounded-full ${row.result === "ACCEPTED" ? "bg-success" : "bg-danger"}`} style={{ width: `${mix.total.attempts === 0 ? 0 : (row.attempts / mix.total.attempts) * 100}%` }} />
                </span>
                <span className="tabular-nums">{share(row.attempts, mix.total.attempts)}</span>
              </span>
            </Td>
            <Td numeric>{count(row.recent)}</Td>
          </Tr>
        ))}
      </TBody>
    </ResponsiveTable>
  );
}
