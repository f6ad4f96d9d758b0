"use server";

import { actionCaller } from "@/lib/http/action-caller";
import { retryAlertDeliveryServerAction } from "@/lib/ops/alert-actions";

/** Retry a FAILED alert delivery, with an optional reason (lib/ops/alert-actions.ts; ops only). */
export async function retryAlertDeliveryAction(input: unknown) {
  return retryAlertDeliveryServerAction.run(await actionCaller(), input);
}
