import { Skeleton } from "@/components/ui/skeleton";

/** The books list's shape while it loads, so the page does not jump when it arrives. */
export default function SellerLoading() {
  return (
    <div role="status" aria-live="polite">
      <span className="sr-only">Loading coupon books…</span>
      <Skeleton className="h-8 w-48" />
      <Skeleton className="mt-2 mb-6 h-5 w-64" />
      <div className="rounded-lg border border-line">
        <Skeleton className="h-10 rounded-b-none" />
        {Array.from({ length: 5 }, (_, row) => (
          <div key={row} className="flex gap-4 border-t border-line px-3 py-3">
            <Skeleton className="h-4 flex-[3]" />
            <Skeleton className="h-4 flex-1" />
            <Skeleton className="h-4 flex-1" />
            <Skeleton className="hidden h-4 flex-1 sm:block" />
          </div>
        ))}
      </div>
    </div>
  );
}
