import type { Session } from "next-auth";
import { z } from "zod";
import type { Actor } from "./actor";

const sessionUser = z.discriminatedUnion("role", [
  z.object({ role: z.literal("seller"), id: z.string().min(1), businessId: z.string().uuid() }),
  z.object({ role: z.literal("ops"), id: z.string().min(1) }),
  z.object({ role: z.literal("shopper"), id: z.string().min(1) }),
]);

/** The Actor of a signed-in page visit (Auth.js `auth()`), or null when signed out or malformed. */
export function actorFromSession(session: Session | null): Actor | null {
  const parsed = sessionUser.safeParse(session?.user);
  if (!parsed.success) return null;
  const user = parsed.data;
  if (user.role === "seller") return { kind: "user", role: "seller", userId: user.id, businessId: user.businessId };
  return { kind: "user", role: user.role, userId: user.id };
}
