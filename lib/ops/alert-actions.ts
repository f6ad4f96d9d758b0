import { db } from "@/db/client";
import { defineServerAction } from "@/lib/http/server-action";
import { retryAlertDelivery } from "./retry-alert-delivery";
import { DeliveryIdParams, RetryDeliveryInput } from "./schemas";

/*
 * The alerts page's server actions: ops only, each the service its internal API route calls, so the
 * audit row carries the operator (`ops:<userId>`) and the page's ip and user agent. The "use server"
 * exports live in app/ops/alerts/actions.ts.
 */

/** The retry route's path parameter and body in one object: the action has no URL to carry the id. */
export const RetryDeliveryActionInput = DeliveryIdParams.extend(RetryDeliveryInput.shape);

/**
 * Retry a FAILED delivery from the page. No separate "deliver now" here: retryAlertDelivery itself
 * sends the retried delivery at once, through deliverDueAlerts (the function the alerts-deliver job
 * runs), bounded to this alert's due deliveries, after the retry has committed. So the answer, and
 * the page refreshed after it, already shows DELIVERED, FAILED again (OPS_ALERT_MAX_ATTEMPTS = 1) or
 * PENDING with its next try; a send that cannot run now leaves it PENDING for the job, never a 500.
 */
export const retryAlertDeliveryServerAction = defineServerAction({ allow: ["ops"], input: RetryDeliveryActionInput }, async ({ actor, input, meta }) =>
  retryAlertDelivery(db, actor, input.deliveryId, { reason: input.reason }, meta),
);
