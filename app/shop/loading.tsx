import { Skeleton } from "@/components/ui/skeleton";

/** The catalogue's shape while it loads: a header, then seller groups of product cards. */
export default function ShopLoading() {
  return (
    <div role="status" aria-live="polite">
      <span className="sr-only">Loading products…</span>
      <Skeleton className="h-8 w-40" />
      <Skeleton className="mt-2 mb-6 h-5 w-72 max-w-full" />
      {[0, 1].map((group) => (
        <div key={group} className="mb-8">
          <Skeleton className="mb-3 h-6 w-44" />
          <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
            {[0, 1, 2].map((card) => (
              <div key={card} className="grid gap-2 rounded-lg border border-line p-4">
                <Skeleton className="h-5 w-2/3" />
                <Skeleton className="h-4 w-full" />
                <div className="mt-2 flex justify-between">
                  <Skeleton className="h-6 w-16" />
                  <Skeleton className="h-8 w-28" />
                </div>
              </div>
            ))}
          </div>
        </div>
      ))}
    </div>
  );
}
