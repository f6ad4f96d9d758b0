import NextAuth from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { z } from "zod";
import { db } from "@/db/client";
import { authSecret } from "@/lib/env";
import { logger } from "@/lib/log";
import { authenticateUser } from "./users";

const credentialsSchema = z.object({ email: z.string().email(), password: z.string().min(1).max(200) });

/**
 * Auth.js with JWT sessions; the token carries the role and business used to build the Actor.
 * The config is built per request so that `next build`, which loads every route module, needs no
 * AUTH_SECRET; a production server without one fails on its first auth request instead.
 */
export const { handlers, auth, signIn, signOut } = NextAuth(() => ({
  secret: authSecret(),
  trustHost: true,
  session: { strategy: "jwt" },
  pages: { signIn: "/login" },
  logger: {
    // A wrong password is an expected outcome, not a server error with a stack trace.
    error(error: Error) {
      const type = (error as { type?: string }).type ?? error.name;
      if (type === "CredentialsSignin") logger.info({ event: "auth.sign_in_failed" }, "credentials sign-in refused");
      else logger.error({ type, message: error.message, stack: error.stack?.split("\n").slice(1, 6).join("\n") }, "auth error");
    },
  },
  providers: [
    Credentials({
      credentials: { email: { label: "Email" }, password: { label: "Password", type: "password" } },
      async authorize(raw) {
        const parsed = credentialsSchema.safeParse(raw);
        if (!parsed.success) return null;
        const user = await authenticateUser(db, parsed.data.email, parsed.data.password);
        return user ? { id: user.id, email: user.email, name: user.name, role: user.role, businessId: user.businessId } : null;
      },
    }),
  ],
  callbacks: {
    jwt({ token, user }) {
      if (user) {
        const u = user as { id: string; role: string; businessId: string | null };
        token.uid = u.id;
        token.role = u.role;
        token.businessId = u.businessId;
      }
      return token;
    },
    session({ session, token }) {
      Object.assign(session.user ?? {}, { id: token.uid, role: token.role, businessId: token.businessId });
      return session;
    },
  },
}));
