import { Skeleton } from "@/components/ui/skeleton";

/** The refunds page's shape while it loads: the search field, then a purchase card and the rollback form. */
export default function RefundsLoading() {
  return (
    <div role="status" aria-live="polite">
      <span className="sr-only">Loading…</span>
      <Skeleton className="h-8 w-40" />
      <Skeleton className="mt-2 mb-6 h-5 w-96 max-w-full" />
      <Skeleton className="mb-6 h-10 w-full max-w-md" />
      <div className="grid gap-4">
        <Skeleton className="h-48 w-full" />
        <Skeleton className="h-40 w-full max-w-xl" />
      </div>
    </div>
  );
}
