import { Skeleton } from "@/components/ui/skeleton";

/** The wallet's shape while it loads: coupon cards with a code, a badge and the terms. */
export default function WalletLoading() {
  return (
    <div role="status" aria-live="polite">
      <span className="sr-only">Loading your wallet…</span>
      <Skeleton className="h-8 w-32" />
      <Skeleton className="mt-2 mb-6 h-5 w-64 max-w-full" />
      <div className="grid gap-4 md:grid-cols-2">
        {[0, 1].map((card) => (
          <div key={card} className="grid gap-3 rounded-lg border border-line p-4 sm:p-5">
            <Skeleton className="h-4 w-40" />
            <Skeleton className="h-7 w-52" />
            <Skeleton className="h-5 w-24" />
            <div className="grid grid-cols-2 gap-3">
              <Skeleton className="h-9" />
              <Skeleton className="h-9" />
            </div>
          </div>
        ))}
      </div>
    </div>
  );
}
