import { AppError } from "@/lib/errors";
import { json } from "./responses";

/** The methods Next dispatches to a route file (any other method gets Next's own empty 400). */
export const HTTP_METHODS = ["GET", "HEAD", "OPTIONS", "POST", "PUT", "PATCH", "DELETE"] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];
type ImplementedMethod = Exclude<HttpMethod, "HEAD" | "OPTIONS">;

// `never` parameters accept every handler shape (withRoute's, Auth.js's, Inngest's) and keep its own type.
type AnyHandler = (request: never, context: never) => Promise<Response>;
type Fallback = (request: Request) => Promise<Response>;
type AllMethods<H> = {
  [M in HttpMethod]: M extends keyof H ? H[M] : M extends "HEAD" ? ("GET" extends keyof H ? H["GET"] : Fallback) : Fallback;
};

function allowHeader(implemented: string[]) {
  const allow = new Set<string>([...implemented, "OPTIONS"]);
  if (allow.has("GET")) allow.add("HEAD");
  return HTTP_METHODS.filter((method) => allow.has(method)).join(", ");
}

/**
 * Every HTTP method of a route file: the handlers it implements, and for the rest a JSON 405
 * `{ error, code: "METHOD_NOT_ALLOWED" }` with an `Allow` header. Next answers a method a route file
 * does not export with an empty 405 of its own, and there is no hook to change that short of a proxy,
 * so each route file exports all of them through this:
 *
 *     export const { GET, HEAD, OPTIONS, POST, PUT, PATCH, DELETE } = routeMethods({ POST: ... });
 *
 * HEAD runs GET (as Next would); OPTIONS answers 204 with the same `Allow` header. The HTTP fuzz test
 * fails for a route file that leaves a method out.
 */
export function routeMethods<H extends Partial<Record<ImplementedMethod, AnyHandler>>>(handlers: H): AllMethods<H> {
  const implemented = Object.keys(handlers).filter((method) => handlers[method as ImplementedMethod]);
  const allow = allowHeader(implemented);
  const notAllowed: Fallback = async (request) => {
    const error = new AppError("METHOD_NOT_ALLOWED", `${request.method} is not allowed here; allowed: ${allow}`);
    return json({ error: error.message, code: error.code }, error.status, { Allow: allow });
  };
  const options: Fallback = async () => new Response(null, { status: 204, headers: { Allow: allow } });
  const methods: Record<string, unknown> = {};
  for (const method of HTTP_METHODS) {
    const own = handlers[method as ImplementedMethod];
    if (own) methods[method] = own;
    else if (method === "HEAD" && handlers.GET) methods[method] = handlers.GET;
    else if (method === "OPTIONS") methods[method] = options;
    else methods[method] = notAllowed;
  }
  return methods as AllMethods<H>;
}

/** The catch-all of `/api`: every method of a path no route file serves answers a JSON 404. */
export function unknownRoute(): Record<HttpMethod, Fallback> {
  const notFound: Fallback = async () => {
    const error = new AppError("NOT_FOUND", "No such API endpoint");
    return json({ error: error.message, code: error.code }, error.status);
  };
  return Object.fromEntries(HTTP_METHODS.map((method) => [method, notFound])) as Record<HttpMethod, Fallback>;
}
