import { db } from "@/db/client";
import { listCampaigns as operation } from "@/lib/contract/operations/ops";
import { json } from "@/lib/http/responses";
import { withRoute } from "@/lib/http/with-route";
import { listCampaigns } from "@/lib/ops/list-campaigns";
import { routeMethods } from "@/lib/http/route-methods";

// GET /api/internal/promo/campaigns – every business's campaigns with their usage, newest first
const get = withRoute(operation, async ({ query }) => json(await listCampaigns(db, query)));

export const { GET, HEAD, OPTIONS, POST, PUT, PATCH, DELETE } = routeMethods({ GET: get });
