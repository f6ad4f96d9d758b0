import { z } from "zod";
import { userRole } from "@/db/schema/enums";
import { HealthDto } from "@/lib/health/check-health";
import { wireDateTime } from "@/lib/wire";
import { OpenApiDocumentDto } from "../document";
import { defineOperation, type Operation, type RawBody } from "../operation";

// These routes do not run through withRoute: `security` says how they are called, and the errors
// they answer are only those listed (no common set). `allow` is withRoute's and unused here.

export const getHealth = defineOperation({
  operationId: "getHealth",
  method: "GET",
  path: "/api/health",
  tag: "Platform",
  summary: "Liveness for load balancers",
  description: "Checks the database (2 s) and Redis (1 s) on every call; also served at /health. A Redis outage only degrades: the answer stays 200 with `status: degraded`.",
  allow: [],
  security: "public",
  responses: {
    200: { description: "The database is connected (Redis may be down: `status` then says `degraded`)", schema: HealthDto },
    503: { description: "The database is unreachable: take this instance out of rotation", schema: HealthDto },
  },
});

export const getMetrics = defineOperation({
  operationId: "getMetrics",
  method: "GET",
  path: "/api/metrics",
  tag: "Platform",
  summary: "Prometheus metrics",
  description:
    "This process's HTTP metrics and the domain figures read from the database at scrape time, in the Prometheus text exposition format. Open when the deployment sets no METRICS_TOKEN; otherwise only `Authorization: Bearer <METRICS_TOKEN>` reads them, and anything else answers 401 (with `WWW-Authenticate: Bearer realm=\"metrics\"`).",
  allow: [],
  security: "metricsToken",
  responses: {
    200: { description: "The exposition (never cached)", contentType: "text/plain; version=0.0.4", headers: { "Cache-Control": "`no-store`" } },
  },
  errors: ["UNAUTHORIZED"],
});

export const getOpenApiDocument = defineOperation({
  operationId: "getOpenApiDocument",
  method: "GET",
  path: "/api/openapi.json",
  tag: "Platform",
  summary: "This document",
  description: "The published contract of this API, public like the /docs page that renders it. The same document is committed as docs/openapi.json.",
  allow: [],
  security: "public",
  responses: { 200: { description: "The OpenAPI 3.1 document", schema: OpenApiDocumentDto, headers: { "Cache-Control": "`public, max-age=300`" } } },
});

const INNGEST =
  "Inngest's serve endpoint (DESIGN §8), answered by Inngest's SDK. Inngest signs its calls with the deployment's INNGEST_SIGNING_KEY (`X-Inngest-Signature`): the SDK refuses a function call (POST) that is unsigned or wrongly signed, and tells an unsigned introspection (GET) less. A deployment with neither INNGEST_SIGNING_KEY nor (outside production) INNGEST_DEV answers 503. Not for API clients: jobs also run with `npm run job`.";

const inngestNotConfigured = { errors: ["SERVICE_UNAVAILABLE"] } as const;

export const inngestIntrospect = defineOperation({
  operationId: "inngestIntrospect",
  method: "GET",
  path: "/api/inngest",
  tag: "Platform",
  summary: "Inngest: introspection",
  description: INNGEST,
  allow: [],
  security: "framework",
  responses: { 200: { description: "The SDK's introspection of this app (its functions; more detail to a signed request)" } },
  ...inngestNotConfigured,
});

export const inngestInvoke = defineOperation({
  operationId: "inngestInvoke",
  method: "POST",
  path: "/api/inngest",
  tag: "Platform",
  summary: "Inngest: run a function step",
  description: INNGEST,
  allow: [],
  security: "framework",
  responses: {
    200: { description: "The function finished; the body is the SDK's" },
    206: { description: "A step finished and more remain; the body is the SDK's" },
    401: { description: "Unsigned or wrongly signed: the SDK's own `{ message }`" },
  },
  ...inngestNotConfigured,
});

export const inngestSync = defineOperation({
  operationId: "inngestSync",
  method: "PUT",
  path: "/api/inngest",
  tag: "Platform",
  summary: "Inngest: sync this app's functions",
  description: INNGEST,
  allow: [],
  security: "framework",
  responses: { 200: { description: "Synced with Inngest; the body is the SDK's" } },
  ...inngestNotConfigured,
});

// Auth.js (next-auth 5, app/api/auth/[...nextauth]/route.ts): the endpoints this deployment's
// configuration (lib/auth/next-auth.ts: JWT sessions, credentials and optionally GitHub, its own
// /login page) serves. The bodies are Auth.js's; the session's user fields are the session callback's.

const AUTH_JS = "Served by Auth.js for the site's own pages (sign-in, sign-out, the session in the browser); API clients use an API key or the internal token instead.";

const ProviderParams = z.object({
  provider: z.enum(["credentials", "github"]).describe("`credentials` (email and password) or `github` (only when the deployment configures GitHub OAuth)"),
});

const AuthSessionDto = z
  .strictObject({
    user: z.strictObject({
      id: z.string().optional().describe("The users.id"),
      name: z.string().nullish(),
      email: z.string().nullish(),
      image: z.string().nullish(),
      role: z.enum(userRole.enumValues).optional(),
      businessId: z.string().nullish().describe("A seller's business; null for ops and shoppers"),
      sessionVersion: z.number().int().optional().describe("Bumped when the user's sessions are revoked: an older one is refused"),
    }),
    expires: wireDateTime.describe("When the session cookie expires; each read extends it"),
  })
  .meta({ id: "AuthSession", description: "The signed-in user's session, as Auth.js answers it" });

const AuthProvider = z
  .strictObject({ id: z.string(), name: z.string(), type: z.string(), signinUrl: z.string(), callbackUrl: z.string() })
  .meta({ id: "AuthProvider", description: "A sign-in method Auth.js offers" });

const AuthRedirectDto = z.strictObject({ url: z.string().describe("Where the browser goes next") }).meta({ id: "AuthRedirect", description: "Auth.js's redirect, as JSON" });

/** A POST of Auth.js answers a redirect, or the same target as JSON when the request carries `X-Auth-Return-Redirect`. */
const authRedirect = (where: string) => ({
  200: { description: `With the request header \`X-Auth-Return-Redirect: 1\`: ${where}, as JSON`, schema: AuthRedirectDto },
  302: { description: `${where}; an error (a missing CSRF token included) redirects to the sign-in page with \`?error=\``, headers: { Location: "The redirect target" } },
});

const authForm = (description: string, fields: Record<string, string>): RawBody => ({
  contentType: "application/x-www-form-urlencoded",
  description,
  schema: {
    type: "object",
    required: ["csrfToken"],
    properties: {
      csrfToken: { type: "string", description: "From GET /api/auth/csrf (the double-submit cookie must match)" },
      callbackUrl: { type: "string", description: "Where to land afterwards (this site's own URLs only)" },
      ...Object.fromEntries(Object.entries(fields).map(([name, description]) => [name, { type: "string", description }])),
    },
  },
});

export const getAuthSession = defineOperation({
  operationId: "getAuthSession",
  method: "GET",
  path: "/api/auth/session",
  tag: "Platform",
  summary: "Auth.js: the current session",
  description: `${AUTH_JS} Reading the session re-signs the cookie with a later expiry.`,
  allow: [],
  security: "framework",
  responses: { 200: { description: "The session, or `null` when the caller is not signed in", schema: AuthSessionDto.nullable() } },
});

export const getAuthCsrfToken = defineOperation({
  operationId: "getAuthCsrfToken",
  method: "GET",
  path: "/api/auth/csrf",
  tag: "Platform",
  summary: "Auth.js: a CSRF token for the sign-in and sign-out forms",
  description: `${AUTH_JS} Sets the matching CSRF cookie.`,
  allow: [],
  security: "framework",
  responses: { 200: { description: "The token", schema: z.strictObject({ csrfToken: z.string() }).meta({ id: "AuthCsrfToken" }), headers: { "Set-Cookie": "The CSRF cookie the token is checked against" } } },
});

export const listAuthProviders = defineOperation({
  operationId: "listAuthProviders",
  method: "GET",
  path: "/api/auth/providers",
  tag: "Platform",
  summary: "Auth.js: the sign-in methods",
  description: AUTH_JS,
  allow: [],
  security: "framework",
  responses: { 200: { description: "The providers by id", schema: z.record(z.string(), AuthProvider) } },
});

export const authCallback = defineOperation({
  operationId: "authCallback",
  method: "GET",
  path: "/api/auth/callback/{provider}",
  tag: "Platform",
  summary: "Auth.js: OAuth callback (GitHub)",
  description: `${AUTH_JS} GitHub redirects the browser here with \`code\` and \`state\`; a GitHub account whose verified email has no user here lands on /login?error=GitHubAccountNotFound.`,
  allow: [],
  security: "framework",
  params: ProviderParams,
  responses: { 302: { description: "Signed in (the session cookie is set) and sent to the callback URL, or sent to the sign-in page with `?error=`", headers: { Location: "The redirect target" } } },
});

export const authCallbackPost = defineOperation({
  operationId: "authCallbackPost",
  method: "POST",
  path: "/api/auth/callback/{provider}",
  tag: "Platform",
  summary: "Auth.js: sign in with email and password",
  description: `${AUTH_JS} With \`credentials\`: a wrong email or password redirects to /login?error=CredentialsSignin.`,
  allow: [],
  security: "framework",
  params: ProviderParams,
  rawBody: authForm("The sign-in form", { email: "The user's email", password: "The user's password" }),
  responses: authRedirect("the session cookie is set and the browser is sent to the callback URL"),
});

export const authSignIn = defineOperation({
  operationId: "authSignIn",
  method: "POST",
  path: "/api/auth/signin/{provider}",
  tag: "Platform",
  summary: "Auth.js: start a sign-in (GitHub)",
  description: `${AUTH_JS} With \`github\`: redirects to GitHub's authorization page, which comes back to GET /api/auth/callback/github.`,
  allow: [],
  security: "framework",
  params: ProviderParams,
  rawBody: authForm("The sign-in button's form", {}),
  responses: authRedirect("the provider's authorization page"),
});

export const authSignOut = defineOperation({
  operationId: "authSignOut",
  method: "POST",
  path: "/api/auth/signout",
  tag: "Platform",
  summary: "Auth.js: sign out",
  description: AUTH_JS,
  allow: [],
  security: "framework",
  rawBody: authForm("The sign-out form", {}),
  responses: authRedirect("the session cookie is cleared and the browser is sent to the callback URL"),
});

export const platformOperations: Operation[] = [
  getHealth,
  getMetrics,
  getOpenApiDocument,
  inngestIntrospect,
  inngestInvoke,
  inngestSync,
  getAuthSession,
  getAuthCsrfToken,
  listAuthProviders,
  authCallback,
  authCallbackPost,
  authSignIn,
  authSignOut,
] as Operation[];
