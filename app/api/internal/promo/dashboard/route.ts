import { db } from "@/db/client";
import { OPERATORS } from "@/lib/auth/actor";
import { json } from "@/lib/http/responses";
import { withRoute } from "@/lib/http/with-route";
import { getDashboard } from "@/lib/ops/dashboard";
import { DashboardQuery } from "@/lib/ops/dashboard-schemas";

// GET /api/internal/promo/dashboard – acceptance, reservation → applied conversion, failure mix and guard indicators over a window
export const GET = withRoute({ allow: OPERATORS, query: DashboardQuery }, async ({ query }) => json(await getDashboard(db, query)));
