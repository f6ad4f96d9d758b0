import { Skeleton } from "@/components/ui/skeleton";

/** The alerts page's shape while it loads: header, the filter row, then alert cards. */
export default function AlertsLoading() {
  return (
    <div role="status" aria-live="polite">
      <span className="sr-only">Loading the alerts…</span>
      <Skeleton className="h-8 w-32" />
      <Skeleton className="mt-2 mb-6 h-5 w-80 max-w-full" />
      <Skeleton className="mb-6 h-16" />
      <div className="grid gap-4">
        {[0, 1, 2].map((card) => (
          <Skeleton key={card} className="h-56" />
        ))}
      </div>
    </div>
  );
}
