import { db } from "@/db/client";
import { checkHealth } from "@/lib/health/check-health";
import { json } from "@/lib/http/responses";
import { getRedisBackend } from "@/lib/redis";

export const dynamic = "force-dynamic";

// GET /api/health – liveness for load balancers (also served at /health); no auth, no secrets
export async function GET() {
  const { httpStatus, body } = await checkHealth(db, getRedisBackend()?.client ?? null);
  return json(body, httpStatus);
}
