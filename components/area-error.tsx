"use client";

import { Button } from "@/components/ui/button";

/**
 * An area's error boundary (app/<area>/error.tsx): the header stays, the area says what happened and
 * offers a retry. The message is generic on purpose: a production build hides server errors' text,
 * and the digest ties this view to the server log line.
 */
export function AreaError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <div role="alert" className="rounded-lg border border-danger/40 bg-danger/5 p-6">
      <h1 className="text-xl font-semibold">This page could not be loaded</h1>
      <p className="mt-1 text-muted">Something went wrong on our side. Try again; if it keeps failing, tell support{error.digest ? ` the reference ${error.digest}` : ""}.</p>
      <Button className="mt-4" onClick={reset}>
        Try again
      </Button>
    </div>
  );
}
