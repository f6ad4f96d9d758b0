import createClient, { type Client } from "openapi-fetch";
import type { paths } from "./openapi";

/**
 * Callers of the API typed by the published contract (testing/api/openapi.d.ts, which `npm run
 * openapi` writes from lib/contract/operations): a renamed field, a changed parameter or a removed
 * operation breaks its callers at compile time instead of at run time.
 */

export type ApiPaths = paths;
type Method = "get" | "post" | "put" | "patch" | "delete";

/** The path templates that serve `method`, e.g. `PathsWith<"post">` holds "/api/coupon-books". */
export type PathsWith<M extends Method> = { [P in keyof paths]: paths[P][M] extends { responses: unknown } ? P : never }[keyof paths];

type OperationAt<P extends keyof paths, M extends Method> = Extract<paths[P][M], { responses: unknown }>;
type ParametersOf<O> = O extends { parameters: infer Parameters } ? Parameters : never;

type PathOption<O> = ParametersOf<O> extends { path: infer Path } ? { path: Path } : { path?: never };
type QueryOption<O> = ParametersOf<O> extends { query: infer Query } ? { query: Query } : { query?: NonNullable<ParametersOf<O>["query" & keyof ParametersOf<O>]> };

type JsonBodyOf<O> = O extends { requestBody?: infer Body } ? (NonNullable<Body> extends { content: { "application/json": infer Json } } ? Json : never) : never;
type BodyOption<O> = [JsonBodyOf<O>] extends [never] ? { body?: never } : O extends { requestBody: unknown } ? { body: JsonBodyOf<O> } : { body?: JsonBodyOf<O> };

/** The JSON body `method path` takes. */
export type ApiBody<P extends keyof paths, M extends Method> = JsonBodyOf<OperationAt<P, M>>;

/** What a request to `method path` takes: its path and query parameters and its JSON body, typed by the contract, plus headers (credentials, Idempotency-Key). */
export type ApiRequestInit<P extends keyof paths, M extends Method> = PathOption<OperationAt<P, M>> &
  QueryOption<OperationAt<P, M>> &
  BodyOption<OperationAt<P, M>> & { headers?: Record<string, string> };

type SuccessStatus = 200 | 201 | 202 | 204 | 206;
/** The JSON body of a successful answer of `method path` (the union over its 2xx statuses). */
export type ApiAnswer<P extends keyof paths, M extends Method> = {
  [S in keyof OperationAt<P, M>["responses"] & SuccessStatus]: OperationAt<P, M>["responses"][S] extends { content: { "application/json": infer Json } } ? Json : never;
}[keyof OperationAt<P, M>["responses"] & SuccessStatus];

declare const answerType: unique symbol;

/**
 * A plain request description, as the bench's load generator (scripts/bench/http/load.ts) and
 * Playwright's request context send it: the path with its parameters filled in and its query
 * string. `Answer` is the type of the successful answer's body (type-only: nothing at run time).
 */
export interface ApiRequest<Answer = unknown, M extends string = string> {
  method: M;
  path: string;
  headers?: Record<string, string>;
  body?: unknown;
  readonly [answerType]?: Answer;
}

/** The answer type an ApiRequest was built for. */
export type AnswerOf<R> = R extends ApiRequest<infer Answer> ? Answer : never;

type InitArgument<P extends keyof paths, M extends Method> = Partial<ApiRequestInit<P, M>> extends ApiRequestInit<P, M> ? [init?: ApiRequestInit<P, M>] : [init: ApiRequestInit<P, M>];

function fillPath(template: string, values: Record<string, unknown> | undefined): string {
  return template.replace(/\{([^}]+)\}/g, (_, name: string) => {
    const value = values?.[name];
    if (value === undefined || value === null) throw new Error(`${template}: no value for {${name}}`);
    return encodeURIComponent(String(value));
  });
}

function queryString(query: Record<string, unknown> | undefined): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(query ?? {})) {
    for (const item of Array.isArray(value) ? value : [value]) if (item !== undefined && item !== null) search.append(name, String(item));
  }
  const text = search.toString();
  return text ? `?${text}` : "";
}

/**
 * A request to one operation of the contract, e.g.
 * `apiRequest("post", "/api/coupon-books/{id}/codes", { path: { id }, body, headers })`:
 * the path template, parameters and body are checked against the document's types; the answer is
 * the plain `{ method, path, headers, body }` with the parameters encoded into the path.
 */
export function apiRequest<M extends Method, P extends PathsWith<M>>(method: M, template: P, ...[init]: InitArgument<P, M>): ApiRequest<ApiAnswer<P, M>, Uppercase<M>> {
  // Read untyped: the init's type is checked at the call site, and its union over every path is too large for tsc to narrow here.
  const { path, query, body, headers } = (init as unknown as { path?: Record<string, unknown>; query?: Record<string, unknown>; body?: unknown; headers?: Record<string, string> } | undefined) ?? {};
  return {
    method: method.toUpperCase() as Uppercase<M>,
    path: `${fillPath(template, path)}${queryString(query)}`,
    ...(headers ? { headers } : {}),
    ...(body !== undefined ? { body } : {}),
  };
}

/** How a caller proves who it is: an API key or the internal token as a bearer token, or a session cookie. */
export type ApiAuth = { token: string } | { cookie: string } | null;

export const authHeaders = (auth: ApiAuth): Record<string, string> =>
  auth === null ? {} : "token" in auth ? { authorization: `Bearer ${auth.token}` } : { cookie: auth.cookie };

/** An openapi-fetch client of the API at `baseUrl`, every call typed by the contract and sent with `auth`. */
export function apiClient(baseUrl: string, auth: ApiAuth): Client<paths> {
  return createClient<paths>({ baseUrl, headers: authHeaders(auth) });
}
