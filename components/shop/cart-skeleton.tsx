import { Skeleton } from "@/components/ui/skeleton";

/**
 * The cart's and the checkout's shape while they load (both lay out the same): seller groups on
 * the left, the price tower with the coupon field and the way on (checkout, or Pay) on the right.
 */
export function CartSkeleton({ label }: { label: string }) {
  return (
    <div role="status" aria-live="polite">
      <span className="sr-only">{label}</span>
      <Skeleton className="h-8 w-40" />
      <Skeleton className="mt-2 mb-6 h-5 w-56" />
      <div className="grid gap-6 lg:grid-cols-[minmax(0,1fr)_24rem]">
        <div className="grid gap-4">
          {[0, 1].map((group) => (
            <div key={group} className="rounded-lg border border-line">
              <Skeleton className="h-9 rounded-b-none" />
              {[0, 1].map((row) => (
                <div key={row} className="flex gap-4 border-t border-line px-4 py-4">
                  <Skeleton className="h-5 flex-[3]" />
                  <Skeleton className="h-5 w-24" />
                  <Skeleton className="h-5 w-16" />
                </div>
              ))}
            </div>
          ))}
        </div>
        <div className="grid gap-4">
          <Skeleton className="h-64" />
          <Skeleton className="h-28" />
        </div>
      </div>
    </div>
  );
}
