"use client";

import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { ChartFigure, ChartTable } from "@/components/charts/chart-figure";
import type { DashboardDto } from "@/lib/ops/dashboard-schemas";
import { bucketLabel, bucketTick, formatCount, percent, plural } from "./format";

/** What became of the reservations made in each bucket; the four parts add up to what was reserved. */
const SERIES = [
  { key: "applied", name: "Applied", colour: "var(--color-success)" },
  { key: "released", name: "Released", colour: "#6b7280" },
  { key: "expired", name: "Expired", colour: "var(--color-danger)" },
  { key: "live", name: "Open", colour: "var(--color-accent)" },
] as const;

/**
 * Reservations by the bucket they were made in, stacked by what became of them. Expired ones that
 * outgrow the applied ones mean checkouts hold coupons and never pay (or never call apply).
 */
export function ReservationsChart({ dashboard }: { dashboard: DashboardDto }) {
  const r = dashboard.reservations;
  const summary =
    r.reserved === 0
      ? "No reservations in this window."
      : `${plural(r.reserved, "reservation")}: ${formatCount(r.applied)} applied (${percent(r.conversionRate)}), ${formatCount(r.released)} released, ${formatCount(r.expired)} expired, ${formatCount(r.live)} still open`;
  return (
    <ChartFigure
      title="Reservations: open, expired, applied, released (UTC)"
      summary={summary}
      table={
        <ChartTable
          caption="Reservations made per bucket, by what became of them"
          headers={["Bucket (UTC)", "Reserved", ...SERIES.map((s) => s.name)]}
          rows={dashboard.buckets.map((bucket) => [bucketLabel(bucket.start), formatCount(bucket.reserved), ...SERIES.map((s) => formatCount(bucket[s.key]))])}
        />
      }
    >
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={dashboard.buckets} margin={{ top: 4, right: 4, bottom: 4, left: 4 }} accessibilityLayer={false}>
          <CartesianGrid vertical={false} strokeDasharray="3 3" />
          <XAxis dataKey="start" tickFormatter={(start: string) => bucketTick(start, dashboard.bucketMinutes)} tick={{ fontSize: 12 }} minTickGap={16} />
          <YAxis allowDecimals={false} width={40} tick={{ fontSize: 12 }} domain={[0, (max: number) => Math.max(max, 1)]} />
          <Tooltip labelFormatter={(start) => bucketLabel(String(start))} formatter={(value) => formatCount(Number(value))} />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          {SERIES.map((s) => (
            <Bar key={s.key} dataKey={s.key} name={s.name} stackId="reservations" fill={s.colour} isAnimationActive={false} />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </ChartFigure>
  );
}
