import { buildOpenApiDocument } from "@/lib/contract/document";
import { OPERATIONS } from "@/lib/contract/operations";
import { json } from "@/lib/http/responses";
import { routeMethods } from "@/lib/http/route-methods";
import { timed } from "@/lib/metrics/http-metrics";

// Built once per process: the operations are fixed at build time.
let document: ReturnType<typeof buildOpenApiDocument> | undefined;

// GET /api/openapi.json – the published OpenAPI 3.1 contract of this API; public, like the docs page
const get = timed("/api/openapi.json", async () => json((document ??= buildOpenApiDocument(OPERATIONS)), 200, { "Cache-Control": "public, max-age=300" }));

export const { GET, HEAD, OPTIONS, POST, PUT, PATCH, DELETE } = routeMethods({ GET: get });
