import { db } from "@/db/client";
import { getOpsDashboard as operation } from "@/lib/contract/operations/ops";
import { json } from "@/lib/http/responses";
import { withRoute } from "@/lib/http/with-route";
import { getDashboard } from "@/lib/ops/dashboard";
import { routeMethods } from "@/lib/http/route-methods";

// GET /api/internal/promo/dashboard – acceptance, reservation → applied conversion, failure mix and guard indicators over a window
const get = withRoute(operation, async ({ query }) => json(await getDashboard(db, query)));

export const { GET, HEAD, OPTIONS, POST, PUT, PATCH, DELETE } = routeMethods({ GET: get });
