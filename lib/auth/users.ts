import { eq } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { users } from "@/db/schema";
import { verifyPassword } from "./passwords";

export interface SessionUser {
  id: string;
  email: string;
  name: string;
  role: "shopper" | "seller" | "ops";
  businessId: string | null;
}

/** Checks a sign-in; null for an unknown email or a wrong password alike. */
export async function authenticateUser(db: DbOrTx, email: string, password: string): Promise<SessionUser | null> {
  const [user] = await db.select().from(users).where(eq(users.email, email.trim().toLowerCase()));
  if (!user || !(await verifyPassword(password, user.passwordHash))) return null;
  return { id: user.id, email: user.email, name: user.name, role: user.role, businessId: user.businessId };
}
