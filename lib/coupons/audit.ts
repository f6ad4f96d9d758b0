import type { Tx } from "@/db/client";
import { redemptionAudit } from "@/db/schema";
import { actorLabel, type Actor } from "@/lib/auth/actor";
import type { RequestMeta } from "@/lib/http/request-meta";

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
  | "EXPIRE";

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

/** Appends to redemption_audit inside the caller's transaction (DESIGN §5.6): no state change without its row. */
export async function writeAudit(tx: Tx, actor: Actor, meta: RequestMeta, entry: AuditEntry) {
  await tx.insert(redemptionAudit).values({
    ...entry,
    actor: actorLabel(actor),
    ip: meta.ip,
    userAgent: meta.userAgent,
  });
}
