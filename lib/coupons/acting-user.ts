import { isShopper, type Actor } from "@/lib/auth/actor";
import { AppError } from "@/lib/errors";

/** The shopper a call is about: a shopper's own session id, or the body's userId for everyone else. */
export function actingUserId(actor: Actor, bodyUserId: string | undefined): string {
  if (isShopper(actor)) {
    if (bodyUserId !== undefined && bodyUserId !== actor.userId) {
      throw new AppError("FORBIDDEN", "Shoppers act only for themselves");
    }
    return actor.userId;
  }
  if (!bodyUserId) {
    throw new AppError("VALIDATION_ERROR", "userId is required", { details: [{ path: ["userId"], message: "Required" }] });
  }
  return bodyUserId;
}
