import { Skeleton } from "@/components/ui/skeleton";

/** The jobs page's shape while it loads: header, the health line, then one card per job. */
export default function JobsLoading() {
  return (
    <div role="status" aria-live="polite">
      <span className="sr-only">Loading the jobs…</span>
      <Skeleton className="h-8 w-24" />
      <Skeleton className="mt-2 mb-6 h-5 w-80 max-w-full" />
      <div className="grid gap-4">
        {[0, 1, 2, 3].map((card) => (
          <Skeleton key={card} className="h-48" />
        ))}
      </div>
    </div>
  );
}
