"use client";

import { useQuery } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useEffect, useRef, useSyncExternalStore, useTransition } from "react";
import type { HttpError } from "@/components/providers";
import { queryKeys } from "@/components/query-keys";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import type { DashboardDto } from "@/lib/ops/dashboard-schemas";
import type { DashboardNames } from "@/lib/ops/get-dashboard-names";
import { AcceptanceChart } from "./acceptance-chart";
import { Attention } from "./attention";
import { AttemptsChart } from "./attempts-chart";
import { FailureMixChart, FailureReasons } from "./failure-mix-chart";
import { utcSeconds } from "./format";
import { GuardPanel } from "./guard-panel";
import { Kpis } from "./kpis";
import { ReservationsChart } from "./reservations-chart";
import { unnamedIds } from "./unnamed-ids";

/** How often the figures are read again while the tab is visible (react-query pauses the interval while it is hidden). */
export const REFRESH_MS = 30_000;

type Query = { window: DashboardDto["window"]; businessId?: string };

const noSubscription = () => () => {};
/** False in the server's HTML, true once hydrated: only then do the timer and the button work. */
const useHydrated = () => useSyncExternalStore(noSubscription, () => true, () => false);

/** The same DTO the page rendered, from the API route the page's service backs (an ops session is an operator). */
async function fetchDashboard(query: Query, signal: AbortSignal): Promise<DashboardDto> {
  const params = new URLSearchParams({ window: query.window });
  if (query.businessId) params.set("businessId", query.businessId);
  const response = await fetch(`/api/internal/promo/dashboard?${params.toString()}`, { headers: { accept: "application/json" }, cache: "no-store", signal });
  const body = await response.json().catch(() => null);
  if (!response.ok) {
    const error: HttpError = new Error(body?.error ?? `HTTP ${response.status}`);
    error.status = response.status;
    throw error;
  }
  return body as DashboardDto;
}

/**
 * The live part of /ops: the server's first paint (`initial`, from the same service as the API) is
 * the query's initial data, then the query reads the API every 30 s while the tab is visible, and
 * on demand. A failed read keeps the last figures on screen and says since when they are stale.
 */
export function OpsDashboard({ initial, names }: { initial: DashboardDto; names: DashboardNames }) {
  const query: Query = { window: initial.window, ...(initial.businessId ? { businessId: initial.businessId } : {}) };
  const { data, error, errorUpdatedAt, dataUpdatedAt, isFetching, refetch } = useQuery({
    queryKey: queryKeys.ops.dashboard(query),
    queryFn: ({ signal }) => fetchDashboard(query, signal),
    initialData: initial,
    refetchInterval: REFRESH_MS,
    // Stated, though it is react-query's default: a hidden tab reads nothing (the e2e spec checks it).
    refetchIntervalInBackground: false,
  });
  const live = useHydrated();

  // A refresh may name a seller or campaign the server's names don't cover (a new candidate, a new
  // pause): render the page again for their names, once per id, so a deleted one can't loop.
  const router = useRouter();
  const [, startTransition] = useTransition();
  const asked = useRef(new Set<string>());
  useEffect(() => {
    const missing = unnamedIds(data, names).filter((id) => !asked.current.has(id));
    if (missing.length === 0) return;
    for (const id of missing) asked.current.add(id);
    startTransition(() => router.refresh());
  }, [data, names, router]);
  const failed = error !== null && errorUpdatedAt >= dataUpdatedAt;
  const signedOut = failed && (error as HttpError).status === 401;

  return (
    <div data-testid="ops-dashboard">
      <div className="mb-4 flex flex-wrap items-center justify-between gap-3 text-sm">
        <p className="text-muted">
          Figures as of <time dateTime={data.to}>{utcSeconds(data.to)}</time>
          {live ? " · refreshed every 30 s while this tab is open" : null}
        </p>
        <Button variant="secondary" size="sm" pending={isFetching} disabled={!live} onClick={() => void refetch()}>
          Refresh
        </Button>
      </div>
      {failed ? (
        <Alert className="mb-4">
          {signedOut ? "Your session has ended: sign in again to refresh. " : `The refresh at ${utcSeconds(errorUpdatedAt)} failed (${error.message}). `}
          These are still the figures as of {utcSeconds(data.to)}; the next refresh is tried in 30 s, or press Refresh.
        </Alert>
      ) : null}
      <Attention dashboard={data} />
      <Kpis dashboard={data} />
      <section aria-labelledby="ops-charts" className="mb-8">
        <h2 id="ops-charts" className="sr-only">
          Charts
        </h2>
        <div className="grid gap-4 lg:grid-cols-2">
          <AttemptsChart dashboard={data} />
          <AcceptanceChart dashboard={data} />
          <div id="ops-failures" className="min-w-0">
            <FailureMixChart dashboard={data} />
          </div>
          <div id="ops-reservations" className="min-w-0">
            <ReservationsChart dashboard={data} />
          </div>
        </div>
      </section>
      <FailureReasons dashboard={data} />
      <GuardPanel dashboard={data} names={names} />
    </div>
  );
}
