import { like, or, sql, type AnyColumn, type SQL } from "drizzle-orm";
import { actorLabel, type Actor } from "@/lib/auth/actor";
import { auditActorLabel, type AuditActor } from "./audit";

/**
 * Who paused a book (`coupon_books.paused_by`), and the one rule read from it: a pause by ops or by
 * a system job (the guard) can only be undone by ops (DESIGN §8). The label, the TypeScript check and
 * the SQL check are all built from these prefixes so that they cannot drift apart.
 */
const OPS_PREFIX = "ops:";
const OPERATOR_PAUSE_PREFIXES = [OPS_PREFIX, "system:"] as const;

/** The label a pause by this actor records: `ops:<id>`/`ops:internal` for ops, `system:<job>` for jobs, the audit label otherwise. */
export function pausedByLabel(actor: AuditActor): string {
  if (actor.kind === "system") return auditActorLabel(actor);
  if (actor.kind === "internal") return `${OPS_PREFIX}internal`;
  if (actor.kind === "user" && actor.role === "ops") return `${OPS_PREFIX}${actor.userId}`;
  return actorLabel(actor satisfies Actor);
}

/** Whether a book's pause was made by ops or a system job (only ops may resume it). */
export function isPausedByOperator(pausedBy: string | null | undefined): boolean {
  return OPERATOR_PAUSE_PREFIXES.some((prefix) => pausedBy?.startsWith(prefix) ?? false);
}

/** The same check in SQL, on a `paused_by` column (false when it is null). */
export function pausedByOperatorSql(pausedBy: AnyColumn): SQL {
  const label = sql`coalesce(${pausedBy}, '')`;
  return or(...OPERATOR_PAUSE_PREFIXES.map((prefix) => like(label, `${prefix}%`)))!;
}
