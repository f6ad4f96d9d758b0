import type { NextRequest } from "next/server";
import { serve } from "inngest/next";
import { inngest } from "@/lib/inngest";
import { functions } from "@/inngest/functions";
import { settings } from "@/lib/env";
import { json } from "@/lib/http/responses";
import { routeMethods } from "@/lib/http/route-methods";

// Each step of a cron function runs in one call here, and the code-generation cron's step resumes up
// to two runs of up to a million codes (~35 s each): past the 10–15 s default of a Vercel function
// without Fluid compute (Fluid's default is 300 s).
export const maxDuration = 300;

const handlers = serve({ client: inngest, functions });

/**
 * The Inngest endpoint (DESIGN §8). Inngest's SDK verifies every call with INNGEST_SIGNING_KEY (or
 * trusts a local dev server with INNGEST_DEV, outside production only); with neither, it would
 * answer 500 to everyone, so this says plainly that Inngest is not set up here (jobs then run with
 * `npm run job`).
 */
function whenConfigured(handler: (request: NextRequest, context: unknown) => Promise<Response>) {
  return async (request: NextRequest, context: unknown) => {
    const { INNGEST_SIGNING_KEY, INNGEST_DEV, NODE_ENV } = settings("INNGEST_SIGNING_KEY", "INNGEST_DEV", "NODE_ENV");
    // INNGEST_DEV turns the SDK's signature check off: never trusted in production.
    const trusted = Boolean(INNGEST_SIGNING_KEY) || (Boolean(INNGEST_DEV) && NODE_ENV !== "production");
    if (!trusted) {
      return json({ error: "Inngest is not configured on this deployment (set INNGEST_SIGNING_KEY)", code: "SERVICE_UNAVAILABLE" }, 503);
    }
    return handler(request, context);
  };
}

const get = whenConfigured(handlers.GET);
const post = whenConfigured(handlers.POST);
const put = whenConfigured(handlers.PUT);

export const { GET, HEAD, OPTIONS, POST, PUT, PATCH, DELETE } = routeMethods({ GET: get, POST: post, PUT: put });
