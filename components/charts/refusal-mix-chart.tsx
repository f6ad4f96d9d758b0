"use client";

import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { ResponsiveTable, TBody, Td, Th, THead, Tr } from "@/components/ui/table";
import { ChartFigure, ChartTable } from "./chart-figure";
import type { RefusalRow } from "./chart-types";
import { formatCount } from "./format";

/**
 * Refused attempts on the book's codes by result (bars), with the precise reasons in a table
 * under it. Aggregates only: the service never returns a code.
 */
export function RefusalMixChart({ refusals }: { refusals: RefusalRow[] }) {
  if (refusals.length === 0) {
    return (
      <figure className="min-w-0 rounded-lg border border-line p-4">
        <figcaption className="font-semibold">Refused attempts</figcaption>
        <p className="mt-6 mb-6 text-center text-muted">No refused attempts in this window.</p>
      </figure>
    );
  }
  const byResult = new Map<string, number>();
  for (const row of refusals) byResult.set(row.result, (byResult.get(row.result) ?? 0) + row.attempts);
  const bars = [...byResult].map(([result, attempts]) => ({ result, attempts })).sort((a, b) => b.attempts - a.attempts);
  const total = bars.reduce((sum, b) => sum + b.attempts, 0);
  return (
    <div className="grid min-w-0 gap-3">
      <ChartFigure
        title="Refused attempts"
        summary={`${formatCount(total)} refused attempt${total === 1 ? "" : "s"} in this window`}
        table={<ChartTable caption="Refused attempts by result" headers={["Result", "Attempts"]} rows={bars.map((b) => [b.result, formatCount(b.attempts)])} />}
      >
        <ResponsiveContainer width="100%" height="100%">
          <BarChart data={bars} margin={{ top: 4, right: 4, bottom: 4, left: 4 }} accessibilityLayer={false}>
            <CartesianGrid vertical={false} strokeDasharray="3 3" />
            <XAxis dataKey="result" tick={{ fontSize: 11 }} interval={0} />
            <YAxis allowDecimals={false} width={40} tick={{ fontSize: 12 }} />
            <Tooltip formatter={(value) => formatCount(Number(value))} />
            <Bar dataKey="attempts" name="Attempts" fill="var(--color-danger)" isAnimationActive={false} />
          </BarChart>
        </ResponsiveContainer>
      </ChartFigure>
      <ResponsiveTable label="Refusal reasons">
        <THead>
          <Tr>
            <Th>Result</Th>
            <Th>Reason</Th>
            <Th numeric>Attempts</Th>
          </Tr>
        </THead>
        <TBody>
          {refusals.map((row) => (
            <Tr key={`${row.result}:${row.reason}`}>
              <Td>{row.result}</Td>
              <Td>{row.reason}</Td>
              <Td numeric>{formatCount(row.attempts)}</Td>
            </Tr>
          ))}
        </TBody>
      </ResponsiveTable>
    </div>
  );
}
