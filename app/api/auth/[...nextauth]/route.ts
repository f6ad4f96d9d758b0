import { handlers } from "@/lib/auth/next-auth";
import { routeMethods } from "@/lib/http/route-methods";

// GET/POST /api/auth/* – Auth.js: CSRF token, credentials sign-in, session, sign-out
export const { GET, HEAD, OPTIONS, POST, PUT, PATCH, DELETE } = routeMethods({ GET: handlers.GET, POST: handlers.POST });
