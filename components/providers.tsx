"use client";

import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { useState, type ReactNode } from "react";

/** An error that carries the HTTP status of a failed API call (the fetch helpers throw it). */
export type HttpError = Error & { status?: number };

function isClientError(error: unknown): boolean {
  const status = (error as HttpError | null)?.status;
  return typeof status === "number" && status >= 400 && status < 500;
}

/**
 * The app's one QueryClient. A 4xx is an answer, not a hiccup (validation, forbidden, not found):
 * retrying it only delays the message, so only network errors and 5xx are retried, twice.
 */
function makeQueryClient() {
  return new QueryClient({
    defaultOptions: {
      queries: {
        // Server Components render the first paint; client queries refresh, not refetch on every focus.
        staleTime: 30_000,
        refetchOnWindowFocus: false,
        retry: (failureCount, error) => !isClientError(error) && failureCount < 2,
      },
      mutations: { retry: false },
    },
  });
}

export function Providers({ children }: { children: ReactNode }) {
  // One client per browser tab (useState keeps it across renders; a module singleton would be shared
  // between requests on the server).
  const [client] = useState(makeQueryClient);
  return <QueryClientProvider client={client}>{children}</QueryClientProvider>;
}
