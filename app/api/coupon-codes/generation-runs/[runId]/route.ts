import { db } from "@/db/client";
import { getCodeGenerationRun } from "@/lib/contract/operations/coupon-codes";
import { advanceGenerationRun, getGenerationRun } from "@/lib/coupons/generation-runs";
import { afterResponse } from "@/lib/after-response";
import { json } from "@/lib/http/responses";
import { withRoute } from "@/lib/http/with-route";
import { routeMethods } from "@/lib/http/route-methods";

// A poll may resume an orphaned run after answering (afterResponse).
export const maxDuration = 300;

// GET /api/coupon-codes/generation-runs/{runId} – a background generation's progress
const get = withRoute(getCodeGenerationRun, async ({ actor, params }) => {
  const { run, orphaned } = await getGenerationRun(db, actor, params.runId);
  if (orphaned) afterResponse("code-generation", () => advanceGenerationRun(db, run.id));
  return json(run);
});

export const { GET, HEAD, OPTIONS, POST, PUT, PATCH, DELETE } = routeMethods({ GET: get });
