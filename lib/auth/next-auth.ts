import NextAuth from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { z } from "zod";
import { db } from "@/db/client";
import { authSecret } from "@/lib/env";
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
