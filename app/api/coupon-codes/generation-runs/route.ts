import { db } from "@/db/client";
import { startCodeGenerationRun } from "@/lib/contract/operations/coupon-codes";
import { advanceGenerationRun, startCodeGeneration } from "@/lib/coupons/generation-runs";
import { afterResponse } from "@/lib/after-response";
import { json } from "@/lib/http/responses";
import { withRoute } from "@/lib/http/with-route";
import { routeMethods } from "@/lib/http/route-methods";

// The run continues after the 202 (afterResponse); a million codes take ~35 s.
export const maxDuration = 300;

// POST /api/coupon-codes/generation-runs – start generating codes in the background; poll GET …/{runId}
const post = withRoute(startCodeGenerationRun, async ({ actor, body, meta }) => {
  const run = await startCodeGeneration(db, actor, body, meta);
  afterResponse("code-generation", () => advanceGenerationRun(db, run.id));
  return json(run, 202);
});

export const { GET, HEAD, OPTIONS, POST, PUT, PATCH, DELETE } = routeMethods({ POST: post });
