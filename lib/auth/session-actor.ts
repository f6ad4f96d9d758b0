import type { Session } from "next-auth";
import type { JWT } from "next-auth/jwt";
import { z } from "zod";
import type { DbOrTx } from "@/db/client";
import type { Actor } from "./actor";
import { getSessionState } from "./users";

/**
 * The one reading of a signed-in user, whether it comes from the session cookie's JWT (API routes)
 * or from Auth.js `auth()` (pages): the fields are typed by the next-auth augmentation, but a token
 * signed by an older deploy may lack or mistype them, so they are parsed before they become an Actor.
 * A token without `sessionVersion` predates revocation and is refused: its user signs in again.
 */
const version = z.number().int().nonnegative();
const SessionUser = z.discriminatedUnion("role", [
  z.object({ role: z.literal("seller"), id: z.uuid(), businessId: z.uuid(), sessionVersion: version }),
  z.object({ role: z.literal("ops"), id: z.uuid(), sessionVersion: version }),
  z.object({ role: z.literal("shopper"), id: z.uuid(), sessionVersion: version }),
]);

/**
 * A JWT cannot be recalled once issued, so every request re-reads its user (one primary-key query,
 * no cache: a revocation takes effect on the very next request) and refuses the session when the
 * user is gone, its role or business changed, or its session version was bumped (sign-out, password
 * or role change).
 */
async function verifiedActor(db: DbOrTx, user: unknown): Promise<Actor | null> {
  const parsed = SessionUser.safeParse(user);
  if (!parsed.success) return null;
  const claims = parsed.data;
  const state = await getSessionState(db, claims.id);
  if (!state || state.role !== claims.role || state.sessionVersion !== claims.sessionVersion) return null;
  if (claims.role === "seller") {
    return state.businessId === claims.businessId ? { kind: "user", role: "seller", userId: claims.id, businessId: claims.businessId } : null;
  }
  return { kind: "user", role: claims.role, userId: claims.id };
}

/** The Actor of a signed-in page visit (Auth.js `auth()`), or null when signed out, malformed or revoked. */
export function actorFromSession(db: DbOrTx, session: Session | null): Promise<Actor | null> {
  return verifiedActor(db, session?.user);
}

/** The Actor of a request's decoded session cookie, or null when there is none, or it is malformed or revoked. */
export function actorFromToken(db: DbOrTx, token: JWT | null): Promise<Actor | null> {
  return verifiedActor(db, token ? { id: token.uid, role: token.role, businessId: token.businessId, sessionVersion: token.sessionVersion } : null);
}
