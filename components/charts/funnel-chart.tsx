"use client";

import { Bar, BarChart, CartesianGrid, LabelList, ResponsiveContainer, XAxis, YAxis } from "recharts";
import { ChartFigure, ChartTable } from "./chart-figure";
import type { FunnelFigures } from "./chart-types";
import { formatCount } from "./format";

/** Codes → assigned → locked now → redeemed, as horizontal bars with their counts. */
export function FunnelChart({ funnel }: { funnel: FunnelFigures }) {
  const steps = [
    { step: "Codes", value: funnel.codes },
    { step: "Assigned", value: funnel.assigned },
    { step: "Locked now", value: funnel.locked },
    { step: "Redeemed", value: funnel.redeemed },
  ];
  const summary = steps.map((s) => `${formatCount(s.value)} ${s.step.toLowerCase()}`).join(" · ");
  return (
    <ChartFigure
      title="Funnel"
      summary={summary}
      table={<ChartTable caption="Funnel" headers={["Step", "Count"]} rows={steps.map((s) => [s.step, formatCount(s.value)])} />}
    >
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={steps} layout="vertical" margin={{ top: 4, right: 48, bottom: 4, left: 4 }} accessibilityLayer={false}>
          <CartesianGrid horizontal={false} strokeDasharray="3 3" />
          <XAxis type="number" allowDecimals={false} tick={{ fontSize: 12 }} />
          <YAxis type="category" dataKey="step" width={84} tick={{ fontSize: 12 }} />
          <Bar dataKey="value" fill="var(--color-accent)" isAnimationActive={false}>
            <LabelList dataKey="value" position="right" formatter={(v) => formatCount(Number(v))} className="fill-fg text-xs" />
          </Bar>
        </BarChart>
      </ResponsiveContainer>
    </ChartFigure>
  );
}
