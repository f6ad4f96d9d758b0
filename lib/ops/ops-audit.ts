import type { Tx } from "@/db/client";
import { opsAudit } from "@/db/schema";
import { auditActorLabel, type AuditActor } from "@/lib/coupons/audit";
import type { RequestMeta } from "@/lib/request-meta";

export type OpsAuditAction = "RETRY_ALERT_DELIVERY";

export interface OpsAuditEntry {
  action: OpsAuditAction;
  targetType: "alert_delivery";
  targetId: string;
  businessId?: string | null;
  details?: Record<string, unknown>;
}

/** Appends to ops_audit inside the caller's transaction: no ops change without its row. */
export async function writeOpsAudit(tx: Tx, actor: AuditActor, meta: RequestMeta, entry: OpsAuditEntry) {
  await tx.insert(opsAudit).values({ ...entry, actor: auditActorLabel(actor), ip: meta.ip, userAgent: meta.userAgent });
}
