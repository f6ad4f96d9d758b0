"use client";

import dynamic from "next/dynamic";

/**
 * Scalar renders with Vue in the browser only, and its code is large: it loads as a chunk of this
 * page alone, after the server-rendered heading, so no other route's bundle carries it.
 */
export const ApiReference = dynamic(() => import("./scalar-reference"), {
  ssr: false,
  loading: () => (
    <p role="status" className="min-h-[60vh] text-muted">
      Loading the API reference…
    </p>
  ),
});
