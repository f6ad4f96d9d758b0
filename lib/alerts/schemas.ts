import { eventType } from "inngest";
import { z } from "zod";

/** `ops/alert.raised`: alerts just written to the outbox, to be delivered now rather than at the next cron run. */
const alertRaisedData = z.object({ alertIds: z.array(z.uuid()).min(1).max(1000) });
export type AlertRaisedData = z.infer<typeof alertRaisedData>;

export const alertRaisedEvent = eventType("ops/alert.raised", { schema: alertRaisedData });
