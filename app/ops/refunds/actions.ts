"use server";

import { actionCaller } from "@/lib/http/action-caller";
import { refundRollbackServerAction } from "@/lib/ops/refund-actions";

// The refunds page's action (lib/ops/refund-actions.ts; in the authorization matrix): ops only.
export async function refundRollbackAction(input: unknown) {
  return refundRollbackServerAction.run(await actionCaller(), input);
}
