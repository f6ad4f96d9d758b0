import { createHash, timingSafeEqual } from "node:crypto";
import { settings } from "@/lib/env";

import { metrics } from "./registry";

const digest = (value: string) => createHash("sha256").update(value).digest();

/**
 * Whether the request may read the metrics: always when METRICS_TOKEN is unset, otherwise only with
 * `Authorization: Bearer <METRICS_TOKEN>`. Both sides are hashed first so the comparison takes the
 * same time whatever the length or content of the guess.
 */
function isMetricsReader(request: Request): boolean {
  const { METRICS_TOKEN } = settings("METRICS_TOKEN");
  if (!METRICS_TOKEN) return true;
  const header = request.headers.get("authorization") ?? "";
  const presented = /^Bearer\s+(.+)$/i.exec(header.trim())?.[1] ?? "";
  return timingSafeEqual(digest(presented), digest(METRICS_TOKEN)) && presented.length > 0;
}

/**
 * GET /api/metrics: the Prometheus text exposition of this process's HTTP metrics and of the domain
 * figures read from the database at scrape time (a failed read still answers, see registry.ts).
 */
export async function scrapeMetrics(request: Request): Promise<Response> {
  if (!isMetricsReader(request)) {
    return Response.json({ error: "A valid metrics token is required", code: "UNAUTHORIZED" }, { status: 401, headers: { "WWW-Authenticate": 'Bearer realm="metrics"' } });
  }
  const { registry } = metrics();
  const body = await registry.metrics();
  return new Response(body, { status: 200, headers: { "content-type": registry.contentType, "cache-control": "no-store" } });
}
