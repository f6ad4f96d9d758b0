import { handlers } from "@/lib/auth/next-auth";

// GET/POST /api/auth/* – Auth.js: CSRF token, credentials sign-in, session, sign-out
export const { GET, POST } = handlers;
