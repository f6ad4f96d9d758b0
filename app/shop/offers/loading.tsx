import { Skeleton } from "@/components/ui/skeleton";

/** The offers page's shape while it loads: offer cards with their terms and claim area. */
export default function OffersLoading() {
  return (
    <div role="status" aria-live="polite">
      <span className="sr-only">Loading offers…</span>
      <Skeleton className="h-8 w-32" />
      <Skeleton className="mt-2 mb-6 h-5 w-80 max-w-full" />
      <div className="grid gap-4 md:grid-cols-2">
        {[0, 1].map((card) => (
          <div key={card} className="grid gap-3 rounded-lg border border-line p-4 sm:p-5">
            <Skeleton className="h-4 w-28" />
            <Skeleton className="h-6 w-48" />
            <Skeleton className="h-8 w-24" />
            <Skeleton className="h-4 w-full" />
            <Skeleton className="h-10 w-24" />
          </div>
        ))}
      </div>
    </div>
  );
}
