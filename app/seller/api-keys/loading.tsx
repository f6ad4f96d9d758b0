import { Skeleton } from "@/components/ui/skeleton";

/** The keys list's shape while it loads, so the page does not jump when it arrives. */
export default function ApiKeysLoading() {
  return (
    <div role="status" aria-live="polite">
      <span className="sr-only">Loading API keys…</span>
      <div className="mb-6 flex flex-wrap items-end justify-between gap-4">
        <div>
          <Skeleton className="h-8 w-40" />
          <Skeleton className="mt-2 h-5 w-72 max-w-full" />
        </div>
        <Skeleton className="h-10 w-36" />
      </div>
      <div className="rounded-lg border border-line">
        <Skeleton className="h-10 rounded-b-none" />
        {Array.from({ length: 3 }, (_, row) => (
          <div key={row} className="flex gap-4 border-t border-line px-3 py-3">
            <Skeleton className="h-4 flex-[2]" />
            <Skeleton className="h-4 flex-[2]" />
            <Skeleton className="hidden h-4 flex-1 sm:block" />
            <Skeleton className="h-4 flex-1" />
          </div>
        ))}
      </div>
    </div>
  );
}
