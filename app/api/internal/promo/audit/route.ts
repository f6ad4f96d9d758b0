import { db } from "@/db/client";
import { listAuditTrail as operation } from "@/lib/contract/operations/ops";
import { json } from "@/lib/http/responses";
import { withRoute } from "@/lib/http/with-route";
import { listAuditTrail } from "@/lib/ops/audit-trail";
import { routeMethods } from "@/lib/http/route-methods";

// GET /api/internal/promo/audit – the audit trail (coupon changes and ops actions), newest first, filtered by campaign, actor and time
const get = withRoute(operation, async ({ query }) => json(await listAuditTrail(db, query)));

export const { GET, HEAD, OPTIONS, POST, PUT, PATCH, DELETE } = routeMethods({ GET: get });
