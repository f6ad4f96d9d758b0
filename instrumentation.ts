/** Runs once when a Next.js server starts (instrumentation.ts): says where rate limits are counted. */
export async function register() {
  // The edge runtime has no ioredis; every route here runs on Node.js.
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { logRateLimitBackend } = await import("@/lib/rate-limit/rate-limiter");
  logRateLimitBackend();
}
