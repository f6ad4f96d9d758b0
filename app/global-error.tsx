"use client";

import "./globals.css";

/** When the root layout itself fails (the header's session check, say): a bare page with a way back. */
export default function GlobalError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <html lang="en">
      <body>
        <main className="mx-auto max-w-xl px-4 py-10">
          <h1 className="text-2xl font-semibold">Something went wrong</h1>
          <p className="mt-1 text-muted">The page could not be shown{error.digest ? ` (reference ${error.digest})` : ""}.</p>
          <button type="button" onClick={reset} className="mt-4 rounded-md border border-accent bg-accent px-4 py-2 text-white">
            Try again
          </button>
        </main>
      </body>
    </html>
  );
}
