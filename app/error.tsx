"use client";

import { Button } from "@/components/ui/button";

/** Any page's error boundary (areas with their own error.tsx take precedence); the header stays. */
export default function AppError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <div role="alert" className="rounded-lg border border-danger/40 bg-danger/5 p-6">
      <h1 className="text-xl font-semibold">Something went wrong</h1>
      <p className="mt-1 text-muted">The page could not be shown. Try again{error.digest ? ` (reference ${error.digest})` : ""}.</p>
      <Button className="mt-4" onClick={reset}>
        Try again
      </Button>
    </div>
  );
}
