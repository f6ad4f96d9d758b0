import { cache } from "react";
import { db } from "@/db/client";
import { auth } from "@/lib/auth/next-auth";
import { actorFromSession } from "@/lib/auth/session-actor";

/**
 * The session and Actor of the page being rendered, read once per request. The root layout, an
 * area's layout and the page each need them; each used to call Auth.js's `auth()` (which decrypts
 * the session cookie and encrypts a renewed one) and re-read the user row, three times a page.
 * React's `cache()` lasts one server render, so the next request still sees a sign-out or a revoked
 * session. Server actions keep calling `auth()` themselves: they run outside a page render.
 */
export const pageSession = cache(async () => {
  const session = await auth();
  return { session, actor: await actorFromSession(db, session) };
});
