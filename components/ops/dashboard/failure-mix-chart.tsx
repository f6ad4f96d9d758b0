"use client";

import { Fragment } from "react";
import { Bar, BarChart, CartesianGrid, Cell, LabelList, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { ChartFigure, ChartTable } from "@/components/charts/chart-figure";
import type { DashboardDto } from "@/lib/ops/dashboard-schemas";
import { formatCount, percent, plural, RESULT_COLOURS } from "./format";

/** Failed attempts by result (bars, every result even at 0); FailureReasons lists their causes. */
export function FailureMixChart({ dashboard }: { dashboard: DashboardDto }) {
  const failures = dashboard.failures;
  const failed = failures.reduce((sum, failure) => sum + failure.count, 0);
  return (
    <ChartFigure
      title="Failure mix"
      summary={
        dashboard.attempts.total === 0
          ? "No attempts in this window."
          : `${plural(failed, "failed attempt")}, ${percent(failed / dashboard.attempts.total)} of all attempts`
      }
      table={
        <ChartTable
          caption="Failed attempts by result"
          headers={["Result", "Attempts", "Share of all attempts"]}
          rows={failures.map((failure) => [failure.result, formatCount(failure.count), percent(failure.share)])}
        />
      }
    >
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={failures} layout="vertical" margin={{ top: 4, right: 48, bottom: 4, left: 4 }} accessibilityLayer={false}>
          <CartesianGrid horizontal={false} strokeDasharray="3 3" />
          <XAxis type="number" allowDecimals={false} tick={{ fontSize: 12 }} domain={[0, (max: number) => Math.max(max, 1)]} />
          <YAxis type="category" dataKey="result" width={112} tick={{ fontSize: 11 }} interval={0} />
          <Tooltip formatter={(value) => formatCount(Number(value))} />
          <Bar dataKey="count" name="Attempts" isAnimationActive={false}>
            {failures.map((failure) => (
              <Cell key={failure.result} fill={RESULT_COLOURS[failure.result]} />
            ))}
            <LabelList dataKey="count" position="right" formatter={(v) => formatCount(Number(v))} className="fill-fg text-xs" />
          </Bar>
        </BarChart>
      </ResponsiveContainer>
    </ChartFigure>
  );
}

/** A SNAKE_CASE code that may wrap after each underscore (NOT_<wbr>APPLICABLE) rather than mid-word on a phone. */
function Breakable({ text }: { text: string }) {
  const parts = text.split("_");
  return (
    <>
      {parts.map((part, index) => (
        <Fragment key={index}>
          {part}
          {index < parts.length - 1 ? (
            <>
              _<wbr />
            </>
          ) : null}
        </Fragment>
      ))}
    </>
  );
}

/**
 * Each failing result's top reasons: the precise causes recorded for ops, which tell a guessing
 * burst (UNKNOWN_CODE, NOT_OWNER) from a campaign set up wrong (NOT_STARTED, MIN_ORDER_AMOUNT…),
 * runbook §2. A fixed-layout table that wraps, so every column fits a phone.
 */
export function FailureReasons({ dashboard }: { dashboard: DashboardDto }) {
  const reasons = dashboard.failures.flatMap((failure) => failure.reasons.map((reason) => ({ result: failure.result, ...reason })));
  return (
    <section aria-labelledby="ops-reasons" className="mb-8">
      <h2 id="ops-reasons" className="mb-3 text-lg font-semibold">
        Top failure reasons
      </h2>
      {reasons.length === 0 ? (
        <p className="rounded-lg border border-dashed border-line px-4 py-6 text-center text-muted">No failed attempts in this window.</p>
      ) : (
        <div className="overflow-hidden rounded-lg border border-line">
          <table className="w-full table-fixed border-collapse text-left text-sm">
            <caption className="sr-only">Top failure reasons, by result</caption>
            <thead className="bg-panel text-muted">
              <tr>
                <th scope="col" className="w-[36%] px-3 py-2 font-semibold">
                  Result
                </th>
                <th scope="col" className="px-3 py-2 font-semibold">
                  Reason
                </th>
                <th scope="col" className="w-[22%] px-3 py-2 text-right font-semibold">
                  Attempts
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-line">
              {reasons.map((row) => (
                <tr key={`${row.result}:${row.reason}`} className="align-top">
                  <td className="px-3 py-2 [overflow-wrap:anywhere]">
                    <Breakable text={row.result} />
                  </td>
                  <td className="px-3 py-2 [overflow-wrap:anywhere]">
                    <Breakable text={row.reason} />
                  </td>
                  <td className="px-3 py-2 text-right tabular-nums">{formatCount(row.count)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
