import { Badge, type BadgeTone } from "@/components/ui/badge";
import { ResponsiveTable, TBody, Td, Th, THead, Tr } from "@/components/ui/table";
import type { JobHealth } from "@/lib/maintenance/job-health";
import { describeSchedule, detailEntries, formatRunDuration, utcSecond } from "@/lib/ops/labels";

const STATE: Record<JobHealth["state"], { label: string; tone: BadgeTone }> = {
  OK: { label: "ON SCHEDULE", tone: "success" },
  LATE: { label: "LATE", tone: "danger" },
  NEVER_RAN: { label: "NEVER RAN", tone: "neutral" },
  UNKNOWN: { label: "NOT JUDGED", tone: "neutral" },
};

const RUN_TONE: Record<JobHealth["runs"][number]["status"], BadgeTone> = { SUCCEEDED: "success", FAILED: "danger" };

function RunSummary({ summary }: { summary: JobHealth["runs"][number]["summary"] }) {
  const entries = detailEntries(summary);
  if (entries.length === 0) return <span className="text-muted">—</span>;
  return (
    <ul className="grid gap-0.5">
      {entries.map((entry) => (
        <li key={entry.key}>
          <span className="text-muted">{entry.label}:</span> <span className="tabular-nums">{entry.value.kind === "text" ? entry.value.text : `${entry.value.count} entries`}</span>
        </li>
      ))}
    </ul>
  );
}

/**
 * One maintenance job: its schedule, whether it is on time (a LATE job says so in a badge and in
 * words, and by how much), and its newest runs with their summaries and errors. A job with no run
 * says how to run it.
 */
export function JobCard({ health, description }: { health: JobHealth; description: string }) {
  const headingId = `job-${health.job}`;
  const state = STATE[health.state];
  const late = health.state === "LATE";
  return (
    <article aria-labelledby={headingId} className={`grid gap-3 rounded-lg border bg-white p-4 sm:p-5 ${late ? "border-danger/60 border-l-4" : "border-line"}`}>
      <div className="flex flex-wrap items-center gap-2">
        <h2 id={headingId} className="font-mono font-semibold break-all">
          {health.job}
        </h2>
        <Badge tone={state.tone}>{state.label}</Badge>
        {health.lastStatus === "FAILED" ? <Badge tone="danger">LAST RUN FAILED</Badge> : null}
      </div>
      <p className="text-sm text-muted">{description}</p>
      <dl className="grid grid-cols-2 gap-3 text-sm lg:grid-cols-4">
        <div>
          <dt className="text-muted">Schedule</dt>
          <dd>
            {describeSchedule(health.schedule)} <code className="text-xs whitespace-nowrap text-muted">{health.schedule}</code>
          </dd>
        </div>
        <div>
          <dt className="text-muted">Last run</dt>
          <dd>{health.lastRunAt ? utcSecond(health.lastRunAt) : "never"}</dd>
        </div>
        <div>
          <dt className="text-muted">Next run due</dt>
          <dd>{health.nextRunDueAt ? utcSecond(health.nextRunDueAt) : "—"}</dd>
        </div>
        <div>
          <dt className="text-muted">Timeliness</dt>
          <dd className={late ? "font-semibold text-danger" : undefined}>{health.note}</dd>
        </div>
      </dl>
      {health.runs.length === 0 ? (
        <p className="rounded-md border border-dashed border-line px-3 py-4 text-sm text-muted">
          No run recorded yet. It runs {describeSchedule(health.schedule)} under Inngest, or once with <code>npm run job -- {health.job}</code>.
        </p>
      ) : (
        <ResponsiveTable label={`Last runs of ${health.job}`}>
          <THead>
            <Tr>
              <Th>Status</Th>
              <Th>Started</Th>
              <Th numeric>Duration</Th>
              <Th>Summary</Th>
              <Th>Error</Th>
            </Tr>
          </THead>
          <TBody>
            {health.runs.map((run) => (
              <Tr key={run.id}>
                <Td>
                  <Badge tone={RUN_TONE[run.status]}>{run.status}</Badge>
                </Td>
                <Td className="whitespace-nowrap">
                  <time dateTime={run.startedAt.toISOString()}>{utcSecond(run.startedAt)}</time>
                </Td>
                <Td numeric>{formatRunDuration(run.durationMs)}</Td>
                <Td>
                  <RunSummary summary={run.summary} />
                </Td>
                <Td>{run.error ? <p className="w-72 break-words whitespace-normal text-danger">{run.error}</p> : <span className="text-muted">—</span>}</Td>
              </Tr>
            ))}
          </TBody>
        </ResponsiveTable>
      )}
    </article>
  );
}
