import { Skeleton } from "@/components/ui/skeleton";

/** The audit page's shape while it loads: four filters, then the entries table. */
export default function AuditLoading() {
  return (
    <div role="status" aria-live="polite">
      <span className="sr-only">Loading…</span>
      <Skeleton className="h-8 w-48" />
      <Skeleton className="mt-2 mb-6 h-5 w-96 max-w-full" />
      <div className="mb-6 grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
        {[0, 1, 2, 3].map((field) => (
          <Skeleton key={field} className="h-16" />
        ))}
      </div>
      <div className="grid gap-2">
        {[0, 1, 2, 3, 4, 5].map((row) => (
          <Skeleton key={row} className="h-12 w-full" />
        ))}
      </div>
    </div>
  );
}
