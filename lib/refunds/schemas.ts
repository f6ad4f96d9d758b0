import { z } from "zod";
import { text } from "@/lib/validation";
import { externalId } from "@/lib/coupons/schemas";

const reason = text().trim().min(1).max(500);

export const OrderIdParams = z.object({ orderId: externalId });

/** A caller reports a refund: the order's PAID purchases (of one seller, if named) become REFUNDED. */
export const RefundOrderInput = z.object({
  businessId: z.uuid().optional(),
  reason,
});
export type RefundOrderInput = z.infer<typeof RefundOrderInput>;

/** Roll back at once: one purchase, or every purchase of an order (of one seller, if named). */
export const RefundRollbackInput = z
  .object({
    orderId: externalId.optional(),
    purchaseId: z.uuid().optional(),
    businessId: z.uuid().optional(),
    reason,
  })
  .refine((input) => (input.orderId === undefined) !== (input.purchaseId === undefined), {
    message: "send either orderId or purchaseId, not both",
    path: ["orderId"],
  })
  .refine((input) => input.businessId === undefined || input.orderId !== undefined, {
    message: "businessId narrows an orderId; a purchaseId already names one seller",
    path: ["businessId"],
  });
export type RefundRollbackInput = z.infer<typeof RefundRollbackInput>;
