import Ajv2020, { type ValidateFunction } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { buildOpenApiDocument, type OpenApiDocument } from "@/lib/contract/document";
import { OPERATIONS } from "@/lib/contract/operations";

interface Answer {
  method: string;
  /** The request path, query string allowed. */
  path: string;
  status: number;
  body: unknown;
  contentType: string | null;
}

interface PathTemplate {
  template: string;
  pattern: RegExp;
  params: number;
}

const escapeRef = (segment: string) => segment.replaceAll("~", "~0").replaceAll("/", "~1");

/**
 * Checks real answers against the published document: the operation must list the status, and a
 * JSON body must match its schema (strict objects: a field the schema lacks fails). `call()` runs
 * every integration test's answer through it, so the document cannot drift from what routes send.
 */
export class ContractChecker {
  private readonly ajv: Ajv2020;
  private readonly templates: PathTemplate[];
  private readonly validators = new Map<string, ValidateFunction>();

  constructor(readonly document: OpenApiDocument = buildOpenApiDocument(OPERATIONS)) {
    this.ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats(this.ajv);
    this.ajv.addSchema(document as object, "openapi");
    // Fixed paths first: /api/assignments/random must not read as /api/assignments/{code}.
    this.templates = Object.keys(document.paths)
      .map((template) => ({
        template,
        pattern: new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\{[^}]+\}/g, "[^/]+")}$`),
        params: (template.match(/\{/g) ?? []).length,
      }))
      .sort((a, b) => a.params - b.params);
  }

  /** Null when the answer holds to the contract (or no operation describes it), else what breaks it. */
  violation(answer: Answer): string | null {
    const method = answer.method.toLowerCase();
    if (method === "head" || method === "options") return null;
    const pathname = answer.path.split("?")[0]!;
    const template = this.templates.find(({ pattern }) => pattern.test(pathname))?.template;
    if (!template) return null;
    const operation = (this.document.paths as Record<string, Record<string, { operationId: string; responses: Record<string, { content?: Record<string, unknown> }> }>>)[template]![method];
    if (!operation) return answer.status === 405 ? null : `${answer.method} ${template} has no operation in the document, but answered ${answer.status}`;
    const response = operation.responses[String(answer.status)];
    const label = `${operation.operationId} (${answer.method} ${template}) answered ${answer.status}`;
    if (!response) return `${label}, a status the document does not list for it (lists ${Object.keys(operation.responses).join(", ")})`;
    if (!response.content?.["application/json"]) return null;
    if (!answer.contentType?.includes("application/json")) return `${label} with ${answer.contentType ?? "no content type"} instead of application/json`;
    const ref = `openapi#/paths/${escapeRef(template)}/${method}/responses/${answer.status}/content/application~1json/schema`;
    let validate = this.validators.get(ref);
    if (!validate) {
      validate = this.ajv.compile({ $ref: ref });
      this.validators.set(ref, validate);
    }
    if (validate(answer.body)) return null;
    const errors = (validate.errors ?? []).slice(0, 5).map((error) => `${error.instancePath || "(body)"} ${error.message}${error.params && "additionalProperty" in error.params ? ` '${error.params.additionalProperty}'` : ""}`);
    return `${label} with a body the document does not describe: ${errors.join("; ")}`;
  }
}

let shared: ContractChecker | undefined;

/** Throws when an answer breaks the published contract (see ContractChecker). */
export function assertContract(answer: Answer) {
  shared ??= new ContractChecker();
  const violation = shared.violation(answer);
  if (violation) throw new Error(`Contract: ${violation}`);
}
