import { z } from "zod";
import type { ActorKind } from "@/lib/auth/actor";
import { SESSION_COOKIE } from "@/lib/auth/resolve-actor";
import { errorStatus, type ErrorCode } from "@/lib/errors";
import { TAGS, type Operation } from "./operation";

type JsonSchema = Record<string, unknown>;

/** Bumped when a published operation changes incompatibly. */
export const API_VERSION = "1.0.0";

const SECURITY_SCHEMES = {
  ApiKey: { type: "http", scheme: "bearer", description: "A business's API key (`Authorization: Bearer ck_…`): acts for that business only. Keys are created in the seller console." },
  InternalToken: { type: "http", scheme: "bearer", description: "The deployment's INTERNAL_API_TOKEN: internal services (checkout, ops tooling), acting for every business." },
  Session: { type: "apiKey", in: "cookie", name: SESSION_COOKIE, description: `A signed-in user's Auth.js session cookie (\`__Secure-${SESSION_COOKIE}\` over HTTPS): sellers, ops and shoppers in the browser. Writes must come from this site's own origin.` },
  MetricsToken: { type: "http", scheme: "bearer", description: "METRICS_TOKEN, when the deployment sets one: Prometheus scrapes only." },
} as const;

const SCHEME_OF: Record<ActorKind, keyof typeof SECURITY_SCHEMES> = {
  apiKey: "ApiKey",
  internal: "InternalToken",
  seller: "Session",
  ops: "Session",
  shopper: "Session",
};

/** zod → JSON Schema 2020-12 (OpenAPI 3.1's dialect); named schemas (`.meta({ id })`) are collected as components. */
class SchemaWriter {
  readonly components: Record<string, JsonSchema> = {};

  write(schema: z.ZodType, io: "input" | "output"): JsonSchema {
    // eslint-disable-next-line @typescript-eslint/no-unused-vars -- the dialect is the document's, not each schema's
    const { $schema, $defs, ...json } = z.toJSONSchema(schema, { io, unrepresentable: "any", reused: "inline" }) as JsonSchema;
    for (const [id, definition] of Object.entries(($defs as Record<string, JsonSchema> | undefined) ?? {})) {
      const written = this.rewriteRefs(definition);
      const known = this.components[id];
      if (known && JSON.stringify(known) !== JSON.stringify(written)) {
        throw new Error(`Two different schemas are named ${id} (an input and an output form of it?): give them different ids`);
      }
      this.components[id] = written;
    }
    return this.rewriteRefs(json);
  }

  /**
   * $defs references become component references; the safe-integer bounds zod gives every `.int()`
   * go, since they tell a reader nothing and renderers show them as example values.
   */
  private rewriteRefs(json: JsonSchema): JsonSchema {
    return JSON.parse(JSON.stringify(json).replaceAll('"#/$defs/', '"#/components/schemas/'), (key, value: unknown) =>
      (key === "minimum" && value === Number.MIN_SAFE_INTEGER) || (key === "maximum" && value === Number.MAX_SAFE_INTEGER) ? undefined : value,
    ) as JsonSchema;
  }
}

/** The error codes an operation may answer: its own, and those withRoute answers for every route of its shape. */
export function operationErrors(operation: Operation): ErrorCode[] {
  const codes = new Set<ErrorCode>(operation.errors ?? []);
  if (!operation.security) {
    for (const code of ["UNAUTHORIZED", "FORBIDDEN", "RATE_LIMITED", "CONFLICT", "INTERNAL_ERROR"] as const) codes.add(code);
    if (operation.params || operation.query || operation.body || operation.idempotent) codes.add("VALIDATION_ERROR");
    if (operation.body) for (const code of ["INVALID_JSON", "PAYLOAD_TOO_LARGE"] as const) codes.add(code);
    if (operation.idempotent) for (const code of ["IDEMPOTENCY_KEY_IN_USE", "IDEMPOTENCY_KEY_REUSED"] as const) codes.add(code);
  }
  return [...codes];
}

function errorResponses(operation: Operation): Record<string, JsonSchema> {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of operationErrors(operation)) {
    const status = errorStatus(code);
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  const responses: Record<string, JsonSchema> = {};
  for (const [status, codes] of [...byStatus].sort(([a], [b]) => a - b)) {
    responses[String(status)] = {
      description: codes.join(", "),
      ...(status === 429 ? { headers: { "Retry-After": { description: "Seconds until the limit admits this caller again", schema: { type: "integer" } } } } : {}),
      content: { "application/json": { schema: { allOf: [{ $ref: "#/components/schemas/Error" }, { properties: { code: { enum: codes.sort() } } }] } } },
    };
  }
  return responses;
}

function parameters(writer: SchemaWriter, schema: z.ZodType | undefined, where: "path" | "query"): JsonSchema[] {
  if (!schema) return [];
  const json = writer.write(schema, "input");
  const required = new Set((json.required as string[] | undefined) ?? []);
  return Object.entries((json.properties as Record<string, JsonSchema> | undefined) ?? {}).map(([name, { description, ...property }]) => ({
    name,
    in: where,
    required: where === "path" || required.has(name),
    ...(description ? { description } : {}),
    schema: property,
  }));
}

function operationObject(writer: SchemaWriter, operation: Operation): JsonSchema {
  const security =
    operation.security === "public" || operation.security === "framework"
      ? []
      : operation.security === "metricsToken"
        ? [{}, { MetricsToken: [] }]
        : [...new Set(operation.allow.map((kind) => SCHEME_OF[kind]))].map((scheme) => ({ [scheme]: [] }));
  const params = [
    ...parameters(writer, operation.params, "path"),
    ...parameters(writer, operation.query, "query"),
    ...(operation.idempotent
      ? [{ name: "Idempotency-Key", in: "header", required: false, description: "Repeats with the same key and body answer the first response (with `Idempotent-Replayed: true`); another body with the same key is a 422.", schema: { type: "string", minLength: 1, maxLength: 200 } }]
      : []),
  ];
  const requestBody = operation.body
    ? { required: !operation.body.safeParse({}).success, content: { "application/json": { schema: writer.write(operation.body, "input") } } }
    : operation.rawBody
      ? { required: true, description: operation.rawBody.description, content: { [operation.rawBody.contentType]: { schema: operation.rawBody.schema } } }
      : undefined;
  const responses: Record<string, JsonSchema> = {};
  for (const [status, spec] of Object.entries(operation.responses)) {
    const headers = {
      ...Object.fromEntries(Object.entries(spec.headers ?? {}).map(([name, description]) => [name, { description, schema: { type: "string" } }])),
      ...(operation.idempotent ? { "Idempotent-Replayed": { description: "`true` when this is the stored answer to an earlier request with the same Idempotency-Key", schema: { type: "string", enum: ["true"] } } } : {}),
    };
    responses[status] = {
      description: spec.description,
      ...(Object.keys(headers).length > 0 ? { headers } : {}),
      ...(spec.schema
        ? { content: { "application/json": { schema: writer.write(spec.schema, "output") } } }
        : spec.contentType
          ? { content: { [spec.contentType]: { schema: { type: "string" } } } }
          : {}),
    };
  }
  Object.assign(responses, errorResponses(operation));
  return {
    operationId: operation.operationId,
    tags: [operation.tag],
    summary: operation.summary,
    ...(operation.description ? { description: operation.description } : {}),
    security,
    ...(params.length > 0 ? { parameters: params } : {}),
    ...(requestBody ? { requestBody } : {}),
    responses,
  };
}

const ERROR_SCHEMA = {
  type: "object",
  description: "Every error answer: a message for people, a stable code for programs, and context fields some codes add (`details` for validation errors, `retryAfter` for 429s, `reason` for a coupon that does not apply).",
  required: ["error", "code"],
  properties: {
    error: { type: "string" },
    code: { type: "string" },
    details: { type: "array", items: { type: "object" }, description: "VALIDATION_ERROR: zod's issues (path, message)" },
    retryAfter: { type: "integer", description: "RATE_LIMITED: seconds to wait" },
  },
  additionalProperties: true,
};

/**
 * What GET /api/openapi.json answers, as its own operation describes it: an OpenAPI 3.1 document
 * object, whose full form is the OpenAPI Specification's to define, not this one's.
 */
export const OpenApiDocumentDto = z
  .looseObject({
    openapi: z.string().regex(/^3\.1\.\d+$/),
    info: z.looseObject({ title: z.string(), version: z.string().describe("This API's version: bumped when a published operation changes incompatibly") }),
    servers: z.array(z.looseObject({ url: z.string() })).optional(),
    tags: z.array(z.looseObject({ name: z.string() })).optional(),
    paths: z.record(z.string(), z.record(z.string(), z.unknown())).describe("Path templates → methods → Operation Objects"),
    components: z.record(z.string(), z.unknown()).optional(),
  })
  .meta({ id: "OpenApiDocument", description: "An OpenAPI 3.1 document object (https://spec.openapis.org/oas/v3.1.0#openapi-object): this API's published contract." });

/** The OpenAPI 3.1 document of the given operations (served at /api/openapi.json, written to docs/openapi.json). */
export function buildOpenApiDocument(operations: readonly Operation[]) {
  const writer = new SchemaWriter();
  const paths: Record<string, Record<string, JsonSchema>> = {};
  const seen = new Set<string>();
  for (const operation of operations) {
    const key = `${operation.method} ${operation.path}`;
    if (seen.has(key) || seen.has(operation.operationId)) throw new Error(`Operation declared twice: ${key} (${operation.operationId})`);
    seen.add(key).add(operation.operationId);
    paths[operation.path] ??= {};
    paths[operation.path]![operation.method.toLowerCase()] = operationObject(writer, operation);
  }
  const sortedPaths = Object.fromEntries(Object.entries(paths).sort(([a], [b]) => a.localeCompare(b)));
  return {
    openapi: "3.1.0",
    info: {
      title: "Coupon platform API",
      version: API_VERSION,
      description:
        "Coupon books, codes, assignments and the checkout lifecycle (lock, unlock, redeem) for sellers and shoppers; the internal promo API for checkout services and ops. Every error answers `{ error, code }` with a stable code; a method a path does not serve answers 405 with an `Allow` header; a path no operation serves answers 404 `NOT_FOUND`. The walkthrough with curl is in docs/api.md.",
      license: { name: "Proprietary", identifier: "LicenseRef-Proprietary" },
    },
    servers: [{ url: "/", description: "This deployment" }],
    tags: Object.entries(TAGS).map(([name, description]) => ({ name, description })),
    paths: sortedPaths,
    components: {
      securitySchemes: SECURITY_SCHEMES,
      schemas: { Error: ERROR_SCHEMA, ...Object.fromEntries(Object.entries(writer.components).sort(([a], [b]) => a.localeCompare(b))) },
    },
  };
}

export type OpenApiDocument = ReturnType<typeof buildOpenApiDocument>;
