import { db } from "@/db/client";
import { listAlerts as operation } from "@/lib/contract/operations/ops";
import { json } from "@/lib/http/responses";
import { withRoute } from "@/lib/http/with-route";
import { listAlerts } from "@/lib/ops/list-alerts";
import { routeMethods } from "@/lib/http/route-methods";

// GET /api/internal/promo/alerts – the alert outbox, newest first, each alert with its deliveries per channel
const get = withRoute(operation, async ({ query }) => json(await listAlerts(db, query)));

export const { GET, HEAD, OPTIONS, POST, PUT, PATCH, DELETE } = routeMethods({ GET: get });
