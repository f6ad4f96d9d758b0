"use client";

import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { ChartFigure, ChartTable } from "@/components/charts/chart-figure";
import type { DashboardDto } from "@/lib/ops/dashboard-schemas";
import { bucketLabel, bucketTick, formatCount, percent, pointsDelta } from "./format";

const ratio = (part: number, whole: number) => (whole === 0 ? null : part / whole);

/**
 * Acceptance per bucket against the same bucket a week earlier (two lines). A bucket without
 * attempts has no rate: the line breaks there rather than drawing a 0 % that never happened.
 */
export function AcceptanceChart({ dashboard }: { dashboard: DashboardDto }) {
  const data = dashboard.buckets.map((bucket) => {
    const total = Object.values(bucket.attempts).reduce((sum, n) => sum + n, 0);
    return {
      start: bucket.start,
      total,
      accepted: bucket.attempts.ACCEPTED,
      now: ratio(bucket.attempts.ACCEPTED, total),
      lastWeek: ratio(bucket.lastWeek.accepted, bucket.lastWeek.total),
      lastWeekTotal: bucket.lastWeek.total,
      lastWeekAccepted: bucket.lastWeek.accepted,
    };
  });
  const now = dashboard.attempts.acceptanceRate;
  const before = dashboard.lastWeek.attempts.acceptanceRate;
  const delta = pointsDelta(now, before);
  const summary =
    now === null && before === null
      ? "No attempts in this window or the same window a week earlier."
      : `${percent(now)} accepted in this window, ${percent(before)} a week earlier${delta ? ` (${delta})` : ""}`;
  const cell = (accepted: number, total: number, rate: number | null) => (total === 0 ? "no attempts" : `${percent(rate)} (${formatCount(accepted)} of ${formatCount(total)})`);
  return (
    <ChartFigure
      title="Acceptance vs last week (UTC)"
      summary={summary}
      table={
        <ChartTable
          caption="Acceptance per bucket, this window and a week earlier"
          headers={["Bucket (UTC)", "This window", "A week earlier"]}
          rows={data.map((point) => [bucketLabel(point.start), cell(point.accepted, point.total, point.now), cell(point.lastWeekAccepted, point.lastWeekTotal, point.lastWeek)])}
        />
      }
    >
      <ResponsiveContainer width="100%" height="100%">
        <LineChart data={data} margin={{ top: 8, right: 8, bottom: 4, left: 4 }} accessibilityLayer={false}>
          <CartesianGrid vertical={false} strokeDasharray="3 3" />
          <XAxis dataKey="start" tickFormatter={(start: string) => bucketTick(start, dashboard.bucketMinutes)} tick={{ fontSize: 12 }} minTickGap={16} />
          <YAxis domain={[0, 1]} ticks={[0, 0.25, 0.5, 0.75, 1]} width={48} tick={{ fontSize: 12 }} tickFormatter={(v: number) => `${Math.round(v * 100)}%`} />
          <Tooltip labelFormatter={(start) => bucketLabel(String(start))} formatter={(value) => (value === null || value === undefined ? "—" : percent(Number(value)))} />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          <Line dataKey="now" name="This window" stroke="var(--color-accent)" strokeWidth={2} dot={false} isAnimationActive={false} />
          <Line dataKey="lastWeek" name="A week earlier" stroke="#6b7280" strokeWidth={2} strokeDasharray="5 4" dot={false} isAnimationActive={false} />
        </LineChart>
      </ResponsiveContainer>
    </ChartFigure>
  );
}
