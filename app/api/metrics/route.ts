import { timed } from "@/lib/metrics/http-metrics";
import { scrapeMetrics } from "@/lib/metrics/scrape-metrics";
import { routeMethods } from "@/lib/http/route-methods";

// Figures of the moment: never prerendered at build time. (`connection()` would say the same but
// throws outside a Next request scope, where the route tests call this handler.)
export const dynamic = "force-dynamic";

// GET /api/metrics – Prometheus text format; bearer METRICS_TOKEN when that setting is set
const get = timed("/api/metrics", (request: Request) => scrapeMetrics(request));

export const { GET, HEAD, OPTIONS, POST, PUT, PATCH, DELETE } = routeMethods({ GET: get });
