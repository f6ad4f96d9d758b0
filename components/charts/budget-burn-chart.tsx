"use client";

import { Area, AreaChart, CartesianGrid, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { ChartFigure, ChartTable } from "./chart-figure";
import type { BudgetFigures, ChartBucket, SeriesPoint } from "./chart-types";
import { bucketLabel, bucketTick, formatMoney } from "./format";

/** The discount given to date against the budget cap (a reference line), or against none. */
export function BudgetBurnChart({ series, budget, bucket, currency }: { series: SeriesPoint[]; budget: BudgetFigures; bucket: ChartBucket; currency: string }) {
  const committed = budget.spent + budget.reserved;
  const summary =
    budget.cap === null
      ? `No budget cap: ${formatMoney(budget.spent, currency)} given, ${formatMoney(budget.reserved, currency)} held by open checkouts`
      : `${formatMoney(committed, currency)} of ${formatMoney(budget.cap, currency)} committed (${formatMoney(budget.spent, currency)} given, ${formatMoney(budget.reserved, currency)} held by open checkouts)`;
  // Keep the cap on screen even while the spend is far below it, and at least one unit of currency
  // (whole minor units only: an empty chart would otherwise tick fractions of a cent).
  const top = Math.max(budget.cap ?? 0, ...series.map((p) => p.spentToDate), 100);
  return (
    <ChartFigure
      title="Budget burn (UTC)"
      summary={summary}
      table={
        <ChartTable
          caption="Discount given to date"
          headers={[bucket === "hour" ? "Hour (UTC)" : "Day (UTC)", "Given to date"]}
          rows={series.map((p) => [bucketLabel(p.start, bucket), formatMoney(p.spentToDate, currency)])}
        />
      }
    >
      <ResponsiveContainer width="100%" height="100%">
        <AreaChart data={series} margin={{ top: 12, right: 8, bottom: 4, left: 4 }} accessibilityLayer={false}>
          <CartesianGrid vertical={false} strokeDasharray="3 3" />
          <XAxis dataKey="start" tickFormatter={(start: string) => bucketTick(start, bucket)} tick={{ fontSize: 12 }} minTickGap={16} />
          <YAxis domain={[0, top]} allowDecimals={false} width={64} tick={{ fontSize: 12 }} tickFormatter={(v: number) => formatMoney(v, currency)} />
          <Tooltip labelFormatter={(start) => bucketLabel(String(start), bucket)} formatter={(value) => formatMoney(Number(value), currency)} />
          <Area dataKey="spentToDate" name="Given to date" stroke="var(--color-accent)" fill="var(--color-accent)" fillOpacity={0.15} isAnimationActive={false} />
          {budget.cap !== null ? (
            <ReferenceLine y={budget.cap} stroke="var(--color-danger)" strokeDasharray="4 4" label={{ value: "Cap", position: "insideTopRight", fontSize: 12 }} />
          ) : null}
        </AreaChart>
      </ResponsiveContainer>
    </ChartFigure>
  );
}
