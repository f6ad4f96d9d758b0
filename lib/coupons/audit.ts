import type { Placeholder, SQL } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { insertSelect } from "@/db/insert-select";
import { renderedOnce } from "@/db/rendered-once";
import { redemptionAudit } from "@/db/schema";
import { actorLabel, type Actor } from "@/lib/auth/actor";
import type { RequestMeta } from "@/lib/request-meta";
import type { CouponTarget } from "./coupon-target";

export type AuditAction =
  | "CREATE_BOOK"
  | "UPDATE_BOOK"
  | "ACTIVATE"
  | "PAUSE"
  | "UNPAUSE"
  | "ARCHIVE"
  | "EXPIRE_BOOK"
  | "GENERATE"
  | "UPLOAD"
  | "ASSIGN"
  | "LOCK"
  | "UNLOCK"
  | "REDEEM"
  | "EXPIRE"
  | "REVOKE"
  | "REFUND"
  | "DISABLE_CODES"
  | "ENABLE_CODES";

export interface AuditEntry {
  businessId: string;
  action: AuditAction;
  bookId?: string | null;
  codeId?: string | null;
  assignmentId?: string | null;
  userId?: string | null;
  previousStatus?: string | null;
  newStatus?: string | null;
  redeemCount?: number | null;
  maxRedeems?: number | null;
  isFinalRedeem?: boolean | null;
  checkoutId?: string | null;
  orderId?: string | null;
  details?: Record<string, unknown>;
}

/** A job acting on its own (the brute-force guard, the expiry job): audited as `system:<name>`. */
export type SystemActor = { kind: "system"; name: "guard" | "reservation-expiry" | "campaign-rollover" | "refund-rollback" };
export type AuditActor = Actor | SystemActor;

export const auditActorLabel = (actor: AuditActor) => (actor.kind === "system" ? `system:${actor.name}` : actorLabel(actor));

/** Who acted (the actor's label) and from where (ip, user agent): the audit row's own columns. */
export const auditSource = (actor: AuditActor, meta: RequestMeta) => ({ actor: auditActorLabel(actor), ip: meta.ip, userAgent: meta.userAgent });

/**
 * Appends to redemption_audit inside the caller's transaction (DESIGN §5.6): no state change without
 * its row. Run on every state change, so its text is rendered once per set of columns the entry
 * names (db/rendered-once.ts): an entry's undefined fields are left out (their columns take their
 * default, null), and a meta without ip or user agent writes null, their columns' default too.
 */
export async function writeAudit(tx: Tx, actor: AuditActor, meta: RequestMeta, entry: AuditEntry) {
  const source = auditSource(actor, meta);
  const row: Record<string, unknown> = { actor: source.actor, ip: source.ip ?? null, userAgent: source.userAgent ?? null };
  for (const [key, value] of Object.entries(entry)) if (value !== undefined) row[key] = value;
  await renderedOnce(tx, `writeAudit:${Object.keys(row).sort().join(",")}`, row, (v) =>
    tx.insert(redemptionAudit).values(v as typeof redemptionAudit.$inferInsert),
  );
}

/** An audit entry whose values may be SQL over the columns of the change it records, or placeholders (db/rendered-once.ts). */
export type AuditEntrySql = { [K in keyof AuditEntry]: AuditEntry[K] | SQL | Placeholder };

/**
 * writeAudit's row as `insert … select … from <source>`, for a statement that makes the change and
 * writes its audit row at once (a data-modifying CTE): one row per row `source` returns, so a change
 * that did not happen leaves no row.
 */
export function auditInsertFrom(who: { [K in keyof ReturnType<typeof auditSource>]: ReturnType<typeof auditSource>[K] | Placeholder }, entry: AuditEntrySql, source: SQL) {
  return insertSelect(redemptionAudit, { ...entry, actor: who.actor, ip: who.ip, userAgent: who.userAgent }, source);
}

/** The audit columns naming one holder's coupon: its business, book, code, assignment, user and use limit. */
export function assignmentAudit({ assignment, book }: Pick<CouponTarget, "assignment" | "book">) {
  return {
    businessId: book.businessId,
    bookId: book.id,
    codeId: assignment.codeId,
    assignmentId: assignment.id,
    userId: assignment.userId,
    maxRedeems: book.maxRedeemsPerUser,
  };
}
