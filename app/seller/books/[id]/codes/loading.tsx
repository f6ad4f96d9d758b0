import { Skeleton } from "@/components/ui/skeleton";

/** The codes page's shape while it loads: header, filters, the table and the assign panel. */
export default function CodesLoading() {
  return (
    <div role="status" aria-live="polite">
      <span className="sr-only">Loading the codes…</span>
      <Skeleton className="mb-2 h-4 w-32" />
      <Skeleton className="h-8 w-64" />
      <Skeleton className="mt-2 mb-6 h-5 w-48" />
      <Skeleton className="mb-4 h-16" />
      <Skeleton className="mb-8 h-96" />
      <Skeleton className="h-48" />
    </div>
  );
}
