import { db } from "@/db/client";
import { defineServerAction } from "@/lib/http/server-action";
import { refundRollback } from "@/lib/refunds/rollback";
import { RefundRollbackInput } from "@/lib/refunds/schemas";

/*
 * The ops refunds page's server action ("use server" export in app/ops/refunds/actions.ts): the
 * route's own schema and service (POST /api/internal/promo/refund-rollback), so the rollback is
 * audited with the operator's identity exactly as an API call is. Ops sessions only.
 */

export type RefundRollbackResult = Awaited<ReturnType<typeof refundRollback>>;

export const refundRollbackServerAction = defineServerAction({ allow: ["ops"], input: RefundRollbackInput }, async ({ actor, input, meta }) =>
  refundRollback(db, actor, input, meta),
);
