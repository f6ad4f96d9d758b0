import { z } from "zod";
import { actorKind, type Actor, type ActorKind } from "@/lib/auth/actor";
import { isAppError, loggableError, type ErrorCode } from "@/lib/errors";
import { logger } from "@/lib/log";
import type { RequestMeta } from "@/lib/request-meta";

/** What a server action answers a form: its data, or a refusal with the field errors to show. */
export type ActionResult<T> =
  | { ok: true; data: T }
  | { ok: false; code: ErrorCode; error: string; fieldErrors: Record<string, string> };

export interface ServerAction<T> {
  /** Who may call; the authorization matrix test reads it. */
  readonly allow: readonly ActorKind[];
  /**
   * Runs the action for a resolved caller. The "use server" export is one line that resolves the
   * caller from the session (actionCaller in lib/http/action-caller.ts) and calls this; tests call it
   * directly, outside Next's request scope.
   */
  run(caller: { actor: Actor | null; meta: RequestMeta }, raw: unknown): Promise<ActionResult<T>>;
}

const refused = (code: ErrorCode, error: string, fieldErrors: Record<string, string> = {}) => ({ ok: false as const, code, error, fieldErrors });

/** The first message of each field, keyed by its dotted path: what a form shows next to the field. */
function fieldErrorsOf(error: z.ZodError): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = issue.path.join(".") || "root";
    fields[key] ??= issue.message;
  }
  return fields;
}

/**
 * The fields a service's AppError names, in the shapes services use: `fields` (field → message),
 * `details` (zod-like issues with a path, as a route's 400 carries them) or one `field` (LIMIT_BELOW_USAGE,
 * a taken code), which gets the error's own message.
 */
function appErrorFields(context: Record<string, unknown>, message: string): Record<string, string> {
  const fields: Record<string, string> = {};
  const details = context.details;
  if (Array.isArray(details)) {
    for (const issue of details as { path?: unknown; message?: unknown }[]) {
      if (Array.isArray(issue?.path) && typeof issue.message === "string") fields[issue.path.join(".") || "root"] ??= issue.message;
    }
  }
  if (typeof context.field === "string") fields[context.field] ??= message;
  return { ...fields, ...(context.fields as Record<string, string> | undefined) };
}

/**
 * A server action is a route (DESIGN §2): the same checks as withRoute, in the same order — an
 * identity (UNAUTHORIZED), an allowed kind of caller (FORBIDDEN), the input parsed with the API's own
 * zod schema (VALIDATION_ERROR with field errors), then one service call whose AppErrors become the
 * answer. Unexpected errors are logged like a route's 500 and answered without detail.
 */
export function defineServerAction<S extends z.ZodType, T>(
  options: { allow: readonly ActorKind[]; input: S },
  handler: (ctx: { actor: Actor; input: z.infer<S>; meta: RequestMeta }) => Promise<T>,
): ServerAction<T> {
  return {
    allow: options.allow,
    async run({ actor, meta }, raw) {
      if (!actor) return refused("UNAUTHORIZED", "Sign in first");
      if (!options.allow.includes(actorKind(actor))) return refused("FORBIDDEN", "Your account may not do this");
      const parsed = options.input.safeParse(raw);
      if (!parsed.success) return refused("VALIDATION_ERROR", "Check the highlighted fields", fieldErrorsOf(parsed.error));
      try {
        return { ok: true, data: await handler({ actor, input: parsed.data, meta }) };
      } catch (error) {
        if (isAppError(error)) return refused(error.code, error.message, appErrorFields(error.context, error.message));
        logger.error(loggableError(error), "server action failed");
        return refused("INTERNAL_ERROR", "Something went wrong; try again");
      }
    },
  };
}
