import type { z } from "zod";
import type { ErrorCode } from "@/lib/errors";
import type { RouteOptions } from "@/lib/http/with-route";

type Schema = z.ZodType;

export type OperationMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

/** The groups of the published document, in the order /docs shows them. */
export const TAGS = {
  "Coupon books": "Books of coupons a business hands out: create, list, update, export (seed 003).",
  "Coupon codes": "Codes of a book: generated from a pattern (at once or as a background run) or uploaded by CSV.",
  Assignments: "Codes handed to shoppers: a random free code of a book, or a chosen one.",
  Coupons: "A shopper's coupon at checkout: validate, lock for a checkout, unlock, redeem (seed 003).",
  "Promo checkout": "The internal promo API of checkout services: redeem with the brute-force guard, apply, release, refund.",
  Operations: "Ops: campaigns, pause and resume, code switches, audit trail, alert deliveries, dashboard figures.",
  Platform: "Health, metrics, this document, and the framework endpoints (sign-in, Inngest).",
} as const;
export type Tag = keyof typeof TAGS;

export interface ResponseSpec {
  description: string;
  /** The JSON body, as the wire carries it (dates as ISO strings): strict objects, so a field the schema lacks fails the contract tests. */
  schema?: Schema;
  /** A body that is not JSON (CSV, Prometheus text): its media type; `schema` then describes nothing. */
  contentType?: string;
  /** Response headers worth documenting, by name. */
  headers?: Record<string, string>;
}

/** A request body the handler streams itself (uploads): how the document describes it. */
export interface RawBody {
  contentType: string;
  description: string;
  /** JSON Schema of the body's form (e.g. a multipart form's fields). */
  schema: Record<string, unknown>;
}

/**
 * One operation of the API: what withRoute needs to serve it (who may call, the zod schemas of its
 * path, query and body) and what the published contract says about it. The route file passes it to
 * withRoute, so the document and the handler read the same schemas.
 */
export interface Operation<P extends Schema | undefined = Schema | undefined, Q extends Schema | undefined = Schema | undefined, B extends Schema | undefined = Schema | undefined>
  extends RouteOptions<P, Q, B> {
  operationId: string;
  method: OperationMethod;
  /** The OpenAPI path template: `/api/coupon-books/{id}` for app/api/coupon-books/[id]/route.ts. */
  path: string;
  tag: Tag;
  summary: string;
  description?: string;
  /** Successful answers by status. */
  responses: Record<number, ResponseSpec>;
  /**
   * Domain errors this operation may answer besides those every route of its kind can (auth, input
   * validation, rate limit, idempotency, concurrent-update conflict, 500): their statuses come from
   * lib/errors.ts.
   */
  errors?: readonly ErrorCode[];
  rawBody?: RawBody;
  /**
   * Routes that do not run through withRoute (health, metrics, framework endpoints) say how they are
   * called instead: "public" takes no credentials; the others name a security scheme of the document.
   */
  security?: "public" | "metricsToken" | "framework";
}

/** An operation, with its schemas' types kept so that withRoute infers the handler's context from it. */
export function defineOperation<P extends Schema | undefined = undefined, Q extends Schema | undefined = undefined, B extends Schema | undefined = undefined>(
  operation: Operation<P, Q, B>,
): Operation<P, Q, B> {
  return operation;
}
