import Link from "next/link";
import { Button, buttonClasses } from "@/components/ui/button";
import { Label, Select } from "@/components/ui/field";
import type { BusinessOption } from "@/lib/ops/list-businesses";
import { WINDOW_LABELS, type DashboardWindow } from "./format";
import { dashboardHref } from "@/components/ops/links";

const WINDOWS = Object.keys(WINDOW_LABELS) as DashboardWindow[];

/**
 * The window (links, so each window has its URL and the server renders it) and the seller filter
 * (a GET form that works before the page is hydrated). The filtered seller is always an option,
 * even past the listed ones.
 */
export function DashboardControls({
  window,
  businessId,
  businessName,
  sellers,
  truncated,
}: {
  window: DashboardWindow;
  businessId: string | null;
  businessName: string | null;
  sellers: BusinessOption[];
  truncated: boolean;
}) {
  const options = businessId && !sellers.some((s) => s.id === businessId) ? [{ id: businessId, name: businessName ?? `Unknown seller ${businessId.slice(0, 8)}` }, ...sellers] : sellers;
  return (
    <div className="mb-6 flex flex-wrap items-end justify-between gap-4">
      <nav aria-label="Window" className="flex gap-1">
        {WINDOWS.map((w) => (
          <Link
            key={w}
            href={dashboardHref(w, businessId)}
            aria-current={w === window ? "page" : undefined}
            title={WINDOW_LABELS[w]}
            className={buttonClasses(w === window ? "primary" : "secondary", "sm")}
          >
            {w}
          </Link>
        ))}
      </nav>
      <form method="get" action="/ops" role="search" aria-label="Seller filter" className="flex flex-wrap items-end gap-2">
        {window !== "24h" ? <input type="hidden" name="window" value={window} /> : null}
        <div className="grid gap-1">
          <Label htmlFor="ops-seller">Seller</Label>
          <Select id="ops-seller" name="businessId" defaultValue={businessId ?? ""} className="w-64 max-w-full" aria-describedby={truncated ? "ops-seller-more" : undefined}>
            <option value="">All sellers</option>
            {options.map((seller) => (
              <option key={seller.id} value={seller.id}>
                {seller.name}
              </option>
            ))}
          </Select>
        </div>
        <Button type="submit" variant="secondary">
          Show
        </Button>
        {businessId ? (
          <Link href={dashboardHref(window)} className={buttonClasses("ghost")}>
            All sellers
          </Link>
        ) : null}
        {truncated ? (
          <p id="ops-seller-more" className="basis-full text-xs text-muted">
            The first {sellers.length} sellers by name; reach any other from a row&apos;s seller link.
          </p>
        ) : null}
      </form>
    </div>
  );
}
