import { Skeleton } from "@/components/ui/skeleton";

/** The orders page's shape while it loads: order cards with their facts. */
export default function OrdersLoading() {
  return (
    <div role="status" aria-live="polite">
      <span className="sr-only">Loading your orders…</span>
      <Skeleton className="h-8 w-32" />
      <Skeleton className="mt-2 mb-6 h-5 w-56 max-w-full" />
      <div className="grid gap-4">
        {[0, 1].map((card) => (
          <div key={card} className="grid gap-3 rounded-lg border border-line p-4 sm:p-5">
            <Skeleton className="h-6 w-48" />
            <div className="grid grid-cols-2 gap-3 sm:grid-cols-4">
              {[0, 1, 2, 3].map((fact) => (
                <Skeleton key={fact} className="h-9" />
              ))}
            </div>
            <Skeleton className="h-9" />
          </div>
        ))}
      </div>
    </div>
  );
}
