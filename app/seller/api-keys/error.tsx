"use client";

import { Button } from "@/components/ui/button";

/** The keys page's error boundary (the seller area's own one speaks of coupon books): what happened, and a retry. */
export default function ApiKeysError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <div role="alert" className="rounded-lg border border-danger/40 bg-danger/5 p-6">
      <h1 className="text-xl font-semibold">Your API keys could not be loaded</h1>
      <p className="mt-1 text-muted">
        Something went wrong on our side; your keys are unchanged. Try again; if it keeps failing, tell support{error.digest ? ` the reference ${error.digest}` : ""}.
      </p>
      <Button className="mt-4" onClick={reset}>
        Try again
      </Button>
    </div>
  );
}
