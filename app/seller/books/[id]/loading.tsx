import { Skeleton } from "@/components/ui/skeleton";

/** The book page's shape while it loads: header, facts, four charts and the audit table. */
export default function BookLoading() {
  return (
    <div role="status" aria-live="polite">
      <span className="sr-only">Loading the coupon book…</span>
      <Skeleton className="mb-2 h-4 w-32" />
      <Skeleton className="h-8 w-64" />
      <Skeleton className="mt-2 mb-6 h-5 w-48" />
      <Skeleton className="mb-8 h-28" />
      <div className="mb-8 grid gap-4 lg:grid-cols-2">
        {Array.from({ length: 4 }, (_, chart) => (
          <Skeleton key={chart} className="h-80" />
        ))}
      </div>
      <Skeleton className="h-48" />
    </div>
  );
}
