import NextAuth, { AuthError } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import GitHub from "next-auth/providers/github";
import { z } from "zod";
import { db } from "@/db/client";
import type { UserRole } from "@/db/schema";
import { headers } from "next/headers";
import { NextRequest } from "next/server";
import { authSecret, githubOAuth } from "@/lib/env";
import { isBehindTrustedProxy } from "@/lib/request-meta";
import { loggableError } from "@/lib/errors";
import { logger } from "@/lib/log";
import { authenticateUser, getSessionUserByEmail, type SessionUser } from "./users";

// What authorize() returns and the JWT and session carry (callbacks below). Optional: a token signed
// before a field existed lacks it, so session-actor.ts parses them before anything trusts them.
declare module "next-auth" {
  interface User {
    role?: UserRole;
    businessId?: string | null;
    sessionVersion?: number;
  }
}
declare module "next-auth/jwt" {
  interface JWT {
    uid?: string;
    role?: UserRole;
    businessId?: string | null;
    sessionVersion?: number;
  }
}

const credentialsSchema = z.object({ email: z.string().email(), password: z.string().min(1).max(200) });

/**
 * Whether the browser reached us over HTTPS, so the session cookie gets `Secure` (and its
 * `__Secure-` name). `next start` never terminates TLS itself: HTTPS always means a proxy in front,
 * and its X-Forwarded-Proto counts only behind a trusted proxy (TRUSTED_PROXY_HOPS, Vercel) that overwrites it
 * (otherwise anyone could send it, and Auth.js would believe it).
 */
async function isHttps(request: NextRequest | undefined): Promise<boolean> {
  if (!isBehindTrustedProxy()) return false;
  const forwarded = (request?.headers ?? (await headers())).get("x-forwarded-proto");
  return forwarded?.split(",")[0]?.trim().toLowerCase() === "https";
}

/** Where a GitHub sign-in without an account here lands: the login page says to sign up first. */
const GITHUB_NO_ACCOUNT = "/login?error=GitHubAccountNotFound";

/** GitHub's REST API: api.github.com, or a GitHub Enterprise Server's /api/v3 (as Auth.js's provider derives it). */
function githubApiUrl(): string {
  const baseUrl = githubOAuth()?.enterprise?.baseUrl;
  return baseUrl ? `${baseUrl}/api/v3` : "https://api.github.com";
}

/**
 * The user a GitHub sign-in stands for: the one whose email GitHub says the person has verified.
 * GitHub never creates an account here: a seller needs a business name, which only the sign-up
 * form asks for, and a shopper account nobody asked for is not worth having. So an unknown email is
 * refused with a pointer to /signup. The email must be a verified one of the GitHub account (the
 * profile's may be unverified, and matching on it would hand a seller's account to whoever typed
 * their address into GitHub); users.email is the only link, as there is no accounts table.
 */
async function githubUser(accessToken: string | undefined, email: string | null | undefined): Promise<SessionUser | null> {
  if (!accessToken || !email) return null;
  const response = await fetch(`${githubApiUrl()}/user/emails`, {
    headers: { Authorization: `Bearer ${accessToken}`, "User-Agent": "coupon-platform", Accept: "application/vnd.github+json" },
  });
  if (!response.ok) return null;
  const emails = z.array(z.object({ email: z.string(), verified: z.boolean() })).safeParse(await response.json());
  const verified = emails.success && emails.data.some((e) => e.verified && e.email.toLowerCase() === email.toLowerCase());
  return verified ? getSessionUserByEmail(db, email) : null;
}

/**
 * Auth.js with JWT sessions; the token carries the role and business used to build the Actor.
 * The config is built per request so that `next build`, which loads every route module, needs no
 * AUTH_SECRET; a production server without one fails on its first auth request instead.
 */
const authJs = NextAuth(async (request) => ({
  secret: authSecret(),
  useSecureCookies: await isHttps(request),
  trustHost: true,
  session: { strategy: "jwt" },
  pages: { signIn: "/login" },
  logger: {
    // A wrong password is an expected outcome, not a server error with a stack trace.
    error(error: Error) {
      const type = error instanceof AuthError ? error.type : error.name;
      if (type === "CredentialsSignin") logger.info({ event: "auth.sign_in_failed" }, "credentials sign-in refused");
      else logger.error({ type, ...loggableError(error) }, "auth error");
    },
  },
  providers: [
    ...(githubOAuth() ? [GitHub({ ...githubOAuth()! })] : []),
    Credentials({
      credentials: { email: { label: "Email" }, password: { label: "Password", type: "password" } },
      async authorize(raw) {
        const parsed = credentialsSchema.safeParse(raw);
        if (!parsed.success) return null;
        const user = await authenticateUser(db, parsed.data.email, parsed.data.password);
        return user
          ? { id: user.id, email: user.email, name: user.name, role: user.role, businessId: user.businessId, sessionVersion: user.sessionVersion }
          : null;
      },
    }),
  ],
  callbacks: {
    async signIn({ user, account }) {
      if (account?.provider !== "github") return true;
      const known = await githubUser(account.access_token, user.email);
      return known ? true : GITHUB_NO_ACCOUNT;
    },
    async jwt({ token, user, account }) {
      if (account?.provider === "github") {
        // `user` is GitHub's profile (a GitHub id): the token carries our user, whose email signIn verified above.
        const known = user?.email ? await getSessionUserByEmail(db, user.email) : null;
        if (!known) return null;
        Object.assign(token, { uid: known.id, role: known.role, businessId: known.businessId, sessionVersion: known.sessionVersion });
      } else if (user) {
        token.uid = user.id;
        token.role = user.role;
        token.businessId = user.businessId;
        token.sessionVersion = user.sessionVersion;
      }
      return token;
    },
    session({ session, token }) {
      if (session.user) {
        if (token.uid) session.user.id = token.uid;
        session.user.role = token.role;
        session.user.businessId = token.businessId;
        session.user.sessionVersion = token.sessionVersion;
      }
      return session;
    },
  },
}));

export const { auth, signIn, signOut } = authJs;

/**
 * The request as the browser addressed it. Auth.js builds the URLs it hands out (GitHub's
 * redirect_uri, the redirects after a callback) from request.url, which Next's standalone server
 * builds from the address it listens on (`http://0.0.0.0:3000` under HOSTNAME=0.0.0.0), while
 * signIn() in a server action builds them from the Host header. Unless both agree, GitHub is sent
 * one redirect_uri at the authorize step and another at the code exchange, and refuses the code.
 * The host is the Host header, or X-Forwarded-Host behind a trusted proxy (as in lib/auth/origin.ts);
 * AUTH_URL, when a deployment sets it, still wins (Auth.js applies it after this).
 */
async function asAddressed(request: NextRequest): Promise<NextRequest> {
  const forwardedHost = isBehindTrustedProxy() ? request.headers.get("x-forwarded-host")?.split(",")[0]?.trim() : undefined;
  const host = forwardedHost || request.headers.get("host");
  if (!host) return request;
  const origin = `${(await isHttps(request)) ? "https" : "http"}://${host}`;
  if (!URL.canParse(origin)) return request; // a malformed Host: Auth.js answers from request.url as before
  const url = new URL(request.url);
  const addressed = new URL(`${url.pathname}${url.search}`, origin);
  return addressed.origin === url.origin ? request : new NextRequest(addressed, request);
}

/** The /api/auth/* route handlers. */
export const handlers = {
  GET: async (request: NextRequest) => authJs.handlers.GET(await asAddressed(request)),
  POST: async (request: NextRequest) => authJs.handlers.POST(await asAddressed(request)),
};
