import type { Metadata } from "next";
import { PageHeader } from "@/components/ui/page-header";
import { ApiReference } from "./api-reference";

export const metadata: Metadata = {
  title: "API reference",
  description: "Every route of the coupon platform's JSON API, rendered from its OpenAPI 3.1 document.",
};

/**
 * Public: no area of lib/auth/areas.ts covers /docs, so proxy.ts lets a signed-out visitor in. The
 * heading and the links render on the server; the interactive reference mounts in the browser.
 */
export default function DocsPage() {
  return (
    <>
      <PageHeader
        title="API reference"
        description="Every route of the JSON API under /api: who may call it, its input, its answers and error codes."
      />
      <p className="mb-6 max-w-3xl">
        Rendered from the published OpenAPI 3.1 document, which you can{" "}
        <a href="/api/openapi.json" download="openapi.json">
          download as JSON from /api/openapi.json
        </a>{" "}
        for a client generator. <code>docs/api.md</code> in the repository walks through the same API with curl: API keys,
        callers and scopes, idempotency, rate limits.
      </p>
      <ApiReference />
    </>
  );
}
