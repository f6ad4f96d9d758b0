/**
 * Runs once when a Next.js server starts (instrumentation.ts): a production server refuses to start
 * with missing secrets or open demo accounts, then says where rate limits are counted.
 */
export async function register() {
  // The edge runtime has no ioredis; every route here runs on Node.js.
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const [{ db }, { refuseUnsafeProductionStart }] = await Promise.all([import("@/db/client"), import("@/lib/demo/production-guard")]);
  await refuseUnsafeProductionStart(db);
  const { logRateLimitBackend } = await import("@/lib/rate-limit/rate-limiter");
  logRateLimitBackend();
}
