import type { ReactNode } from "react";
import type { DashboardDto } from "@/lib/ops/dashboard-schemas";
import { formatCount, formatMoney, percent, plural, pointsDelta } from "./format";

function Kpi({ id, label, value, children }: { id: string; label: string; value: ReactNode; children: ReactNode }) {
  return (
    <div className="min-w-0 rounded-lg border border-line p-4" data-testid={`kpi-${id}`}>
      <dt className="text-sm text-muted">{label}</dt>
      <dd className="mt-1 text-2xl font-semibold tabular-nums break-words" data-testid="kpi-value">
        {value}
      </dd>
      <dd className="mt-1 text-sm text-muted">{children}</dd>
    </div>
  );
}

/** The four figures on-call reads first: traffic, acceptance against last week, conversion, discount given. */
export function Kpis({ dashboard }: { dashboard: DashboardDto }) {
  const { attempts, lastWeek, reservations, discountGranted } = dashboard;
  const delta = pointsDelta(attempts.acceptanceRate, lastWeek.attempts.acceptanceRate);
  const uses = discountGranted.reduce((sum, row) => sum + row.uses, 0);
  return (
    <section aria-labelledby="ops-kpis" className="mb-6">
      <h2 id="ops-kpis" className="sr-only">
        Key figures
      </h2>
      <dl className="grid grid-cols-1 gap-4 sm:grid-cols-2 lg:grid-cols-4">
        <Kpi id="attempts" label="Attempts" value={formatCount(attempts.total)}>
          {formatCount(attempts.accepted)} accepted · {formatCount(lastWeek.attempts.total)} a week earlier
        </Kpi>
        <Kpi id="acceptance" label="Acceptance rate" value={percent(attempts.acceptanceRate)}>
          {percent(lastWeek.attempts.acceptanceRate)} a week earlier
          {delta ? <> · {delta}</> : null}
        </Kpi>
        <Kpi id="conversion" label="Reservation → applied" value={percent(reservations.conversionRate)}>
          {reservations.reserved === 0 ? "No reservation in this window" : `${formatCount(reservations.applied)} of ${plural(reservations.reserved, "reservation")} applied`}
        </Kpi>
        <Kpi
          id="discount"
          label="Discount granted"
          value={
            discountGranted.length === 0 ? (
              "None"
            ) : (
              <span className="grid">
                {discountGranted.map((row) => (
                  <span key={row.currency}>{formatMoney(row.amount, row.currency)}</span>
                ))}
              </span>
            )
          }
        >
          {uses === 0 ? "No coupon use applied in this window" : `${plural(uses, "coupon use")} applied, refunds deducted`}
        </Kpi>
      </dl>
    </section>
  );
}
