import { db } from "@/db/client";
import { checkHealth } from "@/lib/health/check-health";
import { json } from "@/lib/http/responses";
import { timed } from "@/lib/metrics/http-metrics";
import { getRedisBackend } from "@/lib/redis";
import { routeMethods } from "@/lib/http/route-methods";

export const dynamic = "force-dynamic";

// GET /api/health – liveness for load balancers (also served at /health); no auth, no secrets
const get = timed("/api/health", async () => {
  const { httpStatus, body } = await checkHealth(db, getRedisBackend()?.client ?? null);
  return json(body, httpStatus);
});

export const { GET, HEAD, OPTIONS, POST, PUT, PATCH, DELETE } = routeMethods({ GET: get });
