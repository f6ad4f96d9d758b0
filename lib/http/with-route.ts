import { z } from "zod";
import { db } from "@/db/client";
import { actorKind, actorLabel, type Actor, type ActorKind } from "@/lib/auth/actor";
import { isCrossSiteWrite } from "@/lib/auth/origin";
import { resolveActor } from "@/lib/auth/resolve-actor";
import { logger } from "@/lib/log";
import { observeHttpRequest } from "@/lib/metrics/http-metrics";
import { callerLimitKeys, enforceRateLimit } from "@/lib/rate-limit/limits";
import { AppError, isAppError, loggableError, pgErrorCode } from "@/lib/errors";
import { claimIdempotencyKey, completeIdempotencyKey, hashingBody, releaseIdempotencyKey } from "./idempotency";
import { requestMeta, type RequestMeta } from "@/lib/request-meta";
import { findUnstorableCharacter, hasUnstorableCharacter, UNSTORABLE_MESSAGE } from "@/lib/validation";
import { readLimitedText } from "./read-body";
import { json } from "./responses";

const MAX_JSON_BYTES = 1024 * 1024;

type Schema = z.ZodType;
type Infer<S> = S extends z.ZodType ? z.infer<S> : undefined;

export interface RouteOptions<P extends Schema | undefined, Q extends Schema | undefined, B extends Schema | undefined> {
  /** Who may call; everyone else gets 401 (no identity) or 403 (wrong kind). Checked before the body is read. */
  allow: readonly ActorKind[];
  params?: P;
  query?: Q;
  /** JSON body schema. Leave it out when the handler streams the body itself (uploads). */
  body?: B;
  /** Honour the Idempotency-Key header: same key and body → the first response; other body → 422. */
  idempotent?: boolean;
  /** The route takes a coupon code a guesser could try: shopper sessions are rate-limited per user and ip. */
  takesCode?: boolean;
}

export interface RouteContext<P, Q, B> {
  request: Request;
  actor: Actor;
  params: P;
  query: Q;
  body: B;
  meta: RequestMeta;
}

type NextContext = { params: Promise<Record<string, string | string[] | undefined>> };

function errorResponse(error: unknown, route: string): Response {
  if (isAppError(error)) {
    const retryAfter = error.context.retryAfter;
    return json({ error: error.message, code: error.code, ...error.context }, error.status, retryAfter ? { "Retry-After": String(retryAfter) } : undefined);
  }
  if (error instanceof z.ZodError) {
    return json({ error: "Invalid request", code: "VALIDATION_ERROR", details: error.issues }, 400);
  }
  const pgCode = pgErrorCode(error);
  if (pgCode === "23505") return json({ error: "The resource already exists", code: "CONFLICT" }, 409);
  if (pgCode === "40001" || pgCode === "40P01") {
    return json({ error: "Concurrent update, retry the request", code: "CONFLICT" }, 409);
  }
  logger.error({ route, ...loggableError(error) }, "unhandled error");
  return json({ error: "Internal server error", code: "INTERNAL_ERROR" }, 500);
}

async function readJson(request: Request, schema: Schema) {
  const text = await readLimitedText(request, MAX_JSON_BYTES);
  let value: unknown;
  try {
    value = text.trim() === "" ? {} : JSON.parse(text);
  } catch {
    throw new AppError("INVALID_JSON", "Request body is not valid JSON");
  }
  // A NUL or a lone surrogate anywhere (a key, a nested array the schema passes through) is refused
  // here, once for every route, so no schema can forget it; the schemas' own `text()` refuses it too.
  const unstorableAt = findUnstorableCharacter(value);
  if (unstorableAt) throw validationError([unstorableIssue(unstorableAt)], "request body");
  return schema.parse(value);
}

const unstorableIssue = (path: (string | number)[]) => ({ code: "custom", path, message: UNSTORABLE_MESSAGE }) as z.core.$ZodIssue;

/**
 * Path parameters and query values with a NUL (or a lone surrogate), refused before any schema sees
 * them: Next decodes `%00`, and PostgreSQL would refuse the value deep inside a query (a 500).
 */
function refuseUnstorable(params: Record<string, unknown>, search: URLSearchParams) {
  for (const [name, value] of Object.entries(params)) {
    const values = Array.isArray(value) ? value : [value];
    if (values.some((v) => typeof v === "string" && hasUnstorableCharacter(v))) throw validationError([unstorableIssue([name])], "path parameters");
  }
  for (const [name, value] of search) {
    if (hasUnstorableCharacter(name) || hasUnstorableCharacter(value)) throw validationError([unstorableIssue([name.replaceAll("\u0000", "")])], "query parameters");
  }
}

function decodedSegment(segment: string) {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/**
 * The path with parameter values replaced by their names: logs and metric labels must never carry a
 * coupon code. Whole segments only: a substring match would rewrite `/coupons` for a code `co` and
 * leave the code itself in place.
 */
function routeTemplate(pathname: string, params: Record<string, unknown>) {
  const segments = pathname.split("/");
  for (const [name, value] of Object.entries(params)) {
    if (typeof value !== "string" || !value) continue;
    const index = segments.findIndex((segment, i) => i > 0 && !segment.startsWith(":") && (segment === value || decodedSegment(segment) === value));
    if (index > 0) segments[index] = `:${name}`;
  }
  return segments.join("/");
}

const validationError = (issues: z.core.$ZodIssue[], where: string) =>
  new AppError("VALIDATION_ERROR", `Invalid ${where}`, { details: issues });

/**
 * The one wrapper of every route handler: resolves the actor (401/403 first), validates params,
 * query and body with zod, runs the handler and maps domain errors to `{ error, code, ...context }`.
 */
export function withRoute<
  P extends Schema | undefined = undefined,
  Q extends Schema | undefined = undefined,
  B extends Schema | undefined = undefined,
>(
  options: RouteOptions<P, Q, B>,
  handler: (ctx: RouteContext<Infer<P>, Infer<Q>, Infer<B>>) => Promise<Response>,
) {
  const handle = async (incoming: Request, context: NextContext | undefined, timing: { route: string }): Promise<Response> => {
    const url = new URL(incoming.url);
    let route = url.pathname;
    let idempotency: { scope: string; key: string } | undefined;
    try {
      const rawParams = (await context?.params) ?? {};
      route = routeTemplate(route, rawParams);
      timing.route = route;
      const actor = await resolveActor(db, incoming);
      if (!actor) return json({ error: "Authentication required", code: "UNAUTHORIZED" }, 401);
      // Only a session cookie rides along on another site's request; keys and tokens are sent deliberately.
      if (actor.kind === "user" && isCrossSiteWrite(incoming)) {
        return json({ error: "Cross-site requests may not change anything", code: "FORBIDDEN" }, 403);
      }
      if (!options.allow.includes(actorKind(actor))) {
        return json({ error: "This caller may not use this endpoint", code: "FORBIDDEN" }, 403);
      }
      const meta = requestMeta(incoming);
      await enforceRateLimit(callerLimitKeys(actor, meta, options.takesCode ?? false));

      refuseUnstorable(rawParams, url.searchParams);
      const params = options.params ? options.params.safeParse(rawParams) : undefined;
      if (params && !params.success) throw validationError(params.error.issues, "path parameters");
      const query = options.query ? options.query.safeParse(Object.fromEntries(url.searchParams)) : undefined;
      if (query && !query.success) throw validationError(query.error.issues, "query parameters");

      const key = options.idempotent ? incoming.headers.get("idempotency-key")?.trim() : undefined;
      if (key !== undefined && (key.length === 0 || key.length > 200)) {
        throw new AppError("VALIDATION_ERROR", "Idempotency-Key must be 1 to 200 characters");
      }
      // Only a request with a key needs its body hashed on the way through.
      const hashed = key ? hashingBody(incoming) : { request: incoming, digest: () => "" };
      const request = hashed.request;
      if (key) {
        idempotency = { scope: `${actorLabel(actor)} ${incoming.method} ${route}`, key };
        const claim = await claimIdempotencyKey(db, idempotency.scope, key);
        if (claim.kind === "replay") {
          idempotency = undefined; // not ours to release
          // The body must be read to be hashed; a JSON body is read within the same limit as a first request.
          if (options.body) await readLimitedText(request, MAX_JSON_BYTES);
          else if (request.body) await request.body.pipeTo(new WritableStream());
          if (claim.requestHash !== hashed.digest()) {
            throw new AppError("IDEMPOTENCY_KEY_REUSED", "This Idempotency-Key was used with a different request body");
          }
          return json(claim.body, claim.status, { "Idempotent-Replayed": "true" });
        }
      }

      const body = options.body ? await readJson(request, options.body) : undefined;
      const response = await handler({
        request,
        actor,
        params: params?.data as Infer<P>,
        query: query?.data as Infer<Q>,
        body: body as Infer<B>,
        meta,
      });

      if (idempotency) {
        if (response.ok) {
          if (request.body && !request.bodyUsed) await request.body.pipeTo(new WritableStream());
          const stored = await response.clone().json();
          await completeIdempotencyKey(db, idempotency.scope, idempotency.key, {
            requestHash: hashed.digest(),
            status: response.status,
            body: stored,
          });
        } else {
          await releaseIdempotencyKey(db, idempotency.scope, idempotency.key);
        }
      }
      return response;
    } catch (error) {
      if (idempotency) await releaseIdempotencyKey(db, idempotency.scope, idempotency.key).catch(() => {});
      return errorResponse(error, route);
    }
  };

  return async (incoming: Request, context?: NextContext): Promise<Response> => {
    const started = performance.now();
    // Until the params are known the label is a fixed placeholder: the raw path may hold a code.
    const timing = { route: "unmatched" };
    const response = await handle(incoming, context, timing);
    observeHttpRequest({ route: timing.route, method: incoming.method, status: response.status, seconds: (performance.now() - started) / 1000 });
    return response;
  };
}
