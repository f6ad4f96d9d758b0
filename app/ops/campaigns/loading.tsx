import { Skeleton } from "@/components/ui/skeleton";

/** The campaigns list's shape while it loads: a header, the filter row, then campaign cards. */
export default function OpsCampaignsLoading() {
  return (
    <div role="status" aria-live="polite">
      <span className="sr-only">Loading campaigns…</span>
      <Skeleton className="h-8 w-40" />
      <Skeleton className="mt-2 mb-6 h-5 w-72 max-w-full" />
      <div className="mb-6 grid gap-3 sm:grid-cols-2 lg:grid-cols-[2fr_1fr_1.5fr_1fr_auto]">
        {[0, 1, 2, 3, 4].map((field) => (
          <Skeleton key={field} className="h-16" />
        ))}
      </div>
      <div className="grid gap-3">
        {[0, 1, 2, 3].map((card) => (
          <div key={card} className="rounded-lg border border-line p-4">
            <Skeleton className="h-5 w-56 max-w-full" />
            <Skeleton className="mt-2 h-4 w-80 max-w-full" />
            <div className="mt-3 grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
              {[0, 1, 2, 3].map((cell) => (
                <Skeleton key={cell} className="h-10" />
              ))}
            </div>
          </div>
        ))}
      </div>
    </div>
  );
}
