"use client";

import { Bar, CartesianGrid, ComposedChart, Legend, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { ChartFigure, ChartTable } from "./chart-figure";
import type { ChartBucket, SeriesPoint } from "./chart-types";
import { bucketLabel, bucketTick, formatCount, formatMoney } from "./format";

// Whole minor units only, and at least one unit of currency on the axis: an empty window would
// otherwise tick $0.00, $0.00, $0.01, $0.01 (fractions of a cent rounded).
const MIN_MONEY_TOP = 100;

/** Redemptions per bucket (bars, left axis) and the discount they gave (line, right axis, in money). */
export function RedemptionsChart({ series, bucket, currency }: { series: SeriesPoint[]; bucket: ChartBucket; currency: string }) {
  const redemptions = series.reduce((sum, p) => sum + p.redemptions, 0);
  const discount = series.reduce((sum, p) => sum + p.discount, 0);
  return (
    <ChartFigure
      title={`Redemptions and discount per ${bucket} (UTC)`}
      summary={`${formatCount(redemptions)} redemption${redemptions === 1 ? "" : "s"}, ${formatMoney(discount, currency)} discount in this window`}
      table={
        <ChartTable
          caption={`Redemptions and discount per ${bucket}`}
          headers={[bucket === "hour" ? "Hour (UTC)" : "Day (UTC)", "Redemptions", "Discount"]}
          rows={series.map((p) => [bucketLabel(p.start, bucket), formatCount(p.redemptions), formatMoney(p.discount, currency)])}
        />
      }
    >
      <ResponsiveContainer width="100%" height="100%">
        <ComposedChart data={series} margin={{ top: 4, right: 4, bottom: 4, left: 4 }} accessibilityLayer={false}>
          <CartesianGrid vertical={false} strokeDasharray="3 3" />
          <XAxis dataKey="start" tickFormatter={(start: string) => bucketTick(start, bucket)} tick={{ fontSize: 12 }} minTickGap={16} />
          <YAxis yAxisId="count" allowDecimals={false} width={40} tick={{ fontSize: 12 }} />
          <YAxis yAxisId="money" orientation="right" width={64} allowDecimals={false} domain={[0, (max: number) => Math.max(max, MIN_MONEY_TOP)]} tick={{ fontSize: 12 }} tickFormatter={(v: number) => formatMoney(v, currency)} />
          <Tooltip
            labelFormatter={(start) => bucketLabel(String(start), bucket)}
            formatter={(value, name) => (name === "Discount" ? formatMoney(Number(value), currency) : formatCount(Number(value)))}
          />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          <Bar yAxisId="count" dataKey="redemptions" name="Redemptions" fill="var(--color-accent)" isAnimationActive={false} />
          <Line yAxisId="money" dataKey="discount" name="Discount" stroke="var(--color-warning)" strokeWidth={2} dot={false} isAnimationActive={false} />
        </ComposedChart>
      </ResponsiveContainer>
    </ChartFigure>
  );
}
