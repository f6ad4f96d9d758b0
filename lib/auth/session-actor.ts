import type { Session } from "next-auth";
import type { JWT } from "next-auth/jwt";
import { z } from "zod";
import type { Actor } from "./actor";

/**
 * The one reading of a signed-in user, whether it comes from the session cookie's JWT (API routes)
 * or from Auth.js `auth()` (pages): the fields are typed by the next-auth augmentation, but a token
 * signed by an older deploy may lack or mistype them, so they are parsed before they become an Actor.
 */
const SessionUser = z.discriminatedUnion("role", [
  z.object({ role: z.literal("seller"), id: z.string().min(1), businessId: z.uuid() }),
  z.object({ role: z.literal("ops"), id: z.string().min(1) }),
  z.object({ role: z.literal("shopper"), id: z.string().min(1) }),
]);

function actorOf(user: unknown): Actor | null {
  const parsed = SessionUser.safeParse(user);
  if (!parsed.success) return null;
  const u = parsed.data;
  if (u.role === "seller") return { kind: "user", role: "seller", userId: u.id, businessId: u.businessId };
  return { kind: "user", role: u.role, userId: u.id };
}

/** The Actor of a signed-in page visit (Auth.js `auth()`), or null when signed out or malformed. */
export function actorFromSession(session: Session | null): Actor | null {
  return actorOf(session?.user);
}

/** The Actor of a request's decoded session cookie, or null when there is none or it is malformed. */
export function actorFromToken(token: JWT | null): Actor | null {
  return token ? actorOf({ id: token.uid, role: token.role, businessId: token.businessId }) : null;
}
