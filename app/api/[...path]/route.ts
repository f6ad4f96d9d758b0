import { unknownRoute } from "@/lib/http/route-methods";

// Every /api answer is JSON: a path no route file serves gets `{ error, code: "NOT_FOUND" }` rather
// than the HTML 404 page. Route files take precedence over this catch-all in Next's matching.
// GET/HEAD/OPTIONS/POST/PUT/PATCH/DELETE /api/* – 404 for paths without a route
export const { GET, HEAD, OPTIONS, POST, PUT, PATCH, DELETE } = unknownRoute();
