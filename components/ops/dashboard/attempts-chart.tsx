"use client";

import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { ChartFigure, ChartTable } from "@/components/charts/chart-figure";
import type { DashboardDto } from "@/lib/ops/dashboard-schemas";
import { bucketLabel, bucketTick, formatCount, percent, plural, RESULT_COLOURS, RESULTS } from "./format";

/** Attempts per bucket, stacked by result: how much traffic, and how much of it failed, over the window. */
export function AttemptsChart({ dashboard }: { dashboard: DashboardDto }) {
  const data = dashboard.buckets.map((bucket) => ({ start: bucket.start, ...bucket.attempts }));
  const { total, accepted, acceptanceRate } = dashboard.attempts;
  return (
    <ChartFigure
      title="Attempts by result (UTC)"
      summary={total === 0 ? "No attempts in this window." : `${plural(total, "attempt")}, ${formatCount(accepted)} accepted (${percent(acceptanceRate)})`}
      table={
        <ChartTable
          caption="Attempts by result per bucket"
          headers={["Bucket (UTC)", ...RESULTS]}
          rows={dashboard.buckets.map((bucket) => [bucketLabel(bucket.start), ...RESULTS.map((result) => formatCount(bucket.attempts[result]))])}
        />
      }
    >
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={data} margin={{ top: 4, right: 4, bottom: 4, left: 4 }} accessibilityLayer={false}>
          <CartesianGrid vertical={false} strokeDasharray="3 3" />
          <XAxis dataKey="start" tickFormatter={(start: string) => bucketTick(start, dashboard.bucketMinutes)} tick={{ fontSize: 12 }} minTickGap={16} />
          <YAxis allowDecimals={false} width={40} tick={{ fontSize: 12 }} domain={[0, (max: number) => Math.max(max, 1)]} />
          <Tooltip labelFormatter={(start) => bucketLabel(String(start))} formatter={(value) => formatCount(Number(value))} />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          {RESULTS.map((result) => (
            <Bar key={result} dataKey={result} stackId="attempts" fill={RESULT_COLOURS[result]} isAnimationActive={false} />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </ChartFigure>
  );
}
