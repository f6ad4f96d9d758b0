/**
 * Runs once when a Next.js server starts (instrumentation.ts): a production server refuses to start
 * with missing secrets or open demo accounts, then says where rate limits are counted.
 */
export async function register() {
  // The edge runtime has no ioredis; every route here runs on Node.js.
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const [{ db }, { productionStartProblems }, { logger }] = await Promise.all([
    import("@/db/client"),
    import("@/lib/demo/production-guard"),
    import("@/lib/log"),
  ]);
  const problems = await productionStartProblems(db);
  if (problems.length > 0) {
    for (const problem of problems) logger.fatal({ event: "startup.refused" }, problem);
    process.exit(1);
  }
  const { logRateLimitBackend } = await import("@/lib/rate-limit/rate-limiter");
  logRateLimitBackend();
}
