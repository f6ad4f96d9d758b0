import type { Metadata } from "next";
import { connection } from "next/server";
import { DashboardControls } from "@/components/ops/dashboard/dashboard-controls";
import { WINDOW_LABELS } from "@/components/ops/dashboard/format";
import { OpsDashboard } from "@/components/ops/dashboard/ops-dashboard";
import { Alert } from "@/components/ui/alert";
import { PageHeader } from "@/components/ui/page-header";
import { db } from "@/db/client";
import { getDashboard } from "@/lib/ops/dashboard";
import { DashboardQuery } from "@/lib/ops/dashboard-schemas";
import { getDashboardNames } from "@/lib/ops/get-dashboard-names";
import { listBusinesses, MAX_LISTED_BUSINESSES } from "@/lib/ops/list-businesses";
import { opsPageActor } from "./page-context";

export const metadata: Metadata = { title: "Ops dashboard" };

const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

/**
 * The URL's window and seller, each on its own: a value the API would refuse (an unknown window, a
 * seller id that is not a uuid) falls back to the default and is reported, never a 500.
 */
function dashboardQuery(params: Record<string, string | string[] | undefined>) {
  const rawWindow = first(params.window);
  const rawBusiness = first(params.businessId)?.trim() || undefined;
  const window = DashboardQuery.shape.window.safeParse(rawWindow);
  const businessId = DashboardQuery.shape.businessId.safeParse(rawBusiness);
  const ignored = [
    ...(window.success ? [] : [`window “${rawWindow}” (showing 24h)`]),
    ...(businessId.success ? [] : ["a seller id that is not one (showing all sellers)"]),
  ];
  const query: DashboardQuery = {
    window: window.success ? window.data : DashboardQuery.shape.window.parse(undefined),
    ...(businessId.success && businessId.data ? { businessId: businessId.data } : {}),
  };
  return { query, ignored };
}

/**
 * /ops: is promo healthy, and if not, what to do. The server renders the chosen window from the
 * dashboard service (the API's own), the client keeps it live from the API.
 */
export default async function OpsDashboardPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await connection();
  await opsPageActor("/ops");
  const { query, ignored } = dashboardQuery(await searchParams);
  const dashboard = await getDashboard(db, query);
  const [names, sellers] = await Promise.all([getDashboardNames(db, dashboard), listBusinesses(db, { include: dashboard.businessId ? [dashboard.businessId] : [] })]);
  const sellerName = dashboard.businessId ? (names.businesses[dashboard.businessId] ?? null) : null;

  return (
    <>
      <PageHeader
        title="Promo health"
        description={
          <>
            {WINDOW_LABELS[dashboard.window]} · {dashboard.businessId ? (sellerName ?? "Unknown seller") : "All sellers"}
          </>
        }
      />
      <DashboardControls window={dashboard.window} businessId={dashboard.businessId} businessName={sellerName} sellers={sellers.data} truncated={sellers.total > MAX_LISTED_BUSINESSES} />
      {ignored.length > 0 ? (
        <Alert tone="info" className="mb-4">
          Ignored from the address: {ignored.join("; ")}.
        </Alert>
      ) : null}
      {dashboard.businessId && !sellerName ? (
        <Alert tone="info" className="mb-4">
          No seller has the id in the address: every figure below is zero. Choose a seller from the list, or all sellers.
        </Alert>
      ) : null}
      <OpsDashboard key={`${dashboard.window}:${dashboard.businessId ?? ""}`} initial={dashboard} names={names} />
    </>
  );
}
