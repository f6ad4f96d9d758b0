import { eq, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { users, type UserRole } from "@/db/schema";
import { hashPassword, verifyPassword } from "./passwords";

export interface SessionUser {
  id: string;
  email: string;
  name: string;
  role: "shopper" | "seller" | "ops";
  businessId: string | null;
  /** Signed into the session token; a token with another version is revoked. */
  sessionVersion: number;
}

/** Checks a sign-in; null for an unknown email or a wrong password alike. */
export async function authenticateUser(db: DbOrTx, email: string, password: string): Promise<SessionUser | null> {
  const [user] = await db.select().from(users).where(eq(users.email, email.trim().toLowerCase()));
  if (!user || !(await verifyPassword(password, user.passwordHash))) return null;
  return { id: user.id, email: user.email, name: user.name, role: user.role, businessId: user.businessId, sessionVersion: user.sessionVersion };
}

/** The user signing in through an identity provider (GitHub) that vouched for this email; null when none. */
export async function getSessionUserByEmail(db: DbOrTx, email: string): Promise<SessionUser | null> {
  const [user] = await db.select().from(users).where(eq(users.email, email.trim().toLowerCase()));
  return user ? { id: user.id, email: user.email, name: user.name, role: user.role, businessId: user.businessId, sessionVersion: user.sessionVersion } : null;
}

/** What a session is checked against on every request: one primary-key read. Null when the user is gone. */
export async function getSessionState(db: DbOrTx, userId: string) {
  const [row] = await db
    .select({ role: users.role, businessId: users.businessId, sessionVersion: users.sessionVersion })
    .from(users)
    .where(eq(users.id, userId));
  return row ?? null;
}

const bump = { sessionVersion: sql`${users.sessionVersion} + 1` };

/** Revokes every session of the user (sign-out signs out all of their browsers). False when the user is gone. */
export async function revokeSessions(db: DbOrTx, userId: string): Promise<boolean> {
  const rows = await db.update(users).set(bump).where(eq(users.id, userId)).returning({ id: users.id });
  return rows.length > 0;
}

/** Sets a new password; the sessions opened with the old one stop working. */
export async function setUserPassword(db: DbOrTx, email: string, password: string): Promise<boolean> {
  const passwordHash = await hashPassword(password);
  const rows = await db
    .update(users)
    .set({ passwordHash, ...bump })
    .where(eq(users.email, email.trim().toLowerCase()))
    .returning({ id: users.id });
  return rows.length > 0;
}

/**
 * Changes a user's role (a seller needs its business; other roles have none); the user's sessions
 * stop working, so a demoted seller loses the seller's access at once.
 */
export async function setUserRole(db: DbOrTx, email: string, role: UserRole, businessId: string | null): Promise<boolean> {
  const rows = await db
    .update(users)
    .set({ role, businessId: role === "seller" ? businessId : null, ...bump })
    .where(eq(users.email, email.trim().toLowerCase()))
    .returning({ id: users.id });
  return rows.length > 0;
}
