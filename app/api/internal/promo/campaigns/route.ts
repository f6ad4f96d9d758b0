import { db } from "@/db/client";
import { OPERATORS } from "@/lib/auth/actor";
import { json } from "@/lib/http/responses";
import { withRoute } from "@/lib/http/with-route";
import { listCampaigns } from "@/lib/ops/list-campaigns";
import { ListCampaignsQuery } from "@/lib/ops/schemas";
import { routeMethods } from "@/lib/http/route-methods";

// GET /api/internal/promo/campaigns – every business's campaigns with their usage, newest first
const get = withRoute({ allow: OPERATORS, query: ListCampaignsQuery }, async ({ query }) => json(await listCampaigns(db, query)));

export const { GET, HEAD, OPTIONS, POST, PUT, PATCH, DELETE } = routeMethods({ GET: get });
