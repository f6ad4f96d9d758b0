import { headers } from "next/headers";
import { db } from "@/db/client";
import type { Actor } from "@/lib/auth/actor";
import { auth } from "@/lib/auth/next-auth";
import { actorFromSession } from "@/lib/auth/session-actor";
import { clientIp, type RequestMeta } from "@/lib/request-meta";

/** The caller of a server action, from the request Next is handling: the verified session and its meta. */
export async function actionCaller(): Promise<{ actor: Actor | null; meta: RequestMeta }> {
  const requestHeaders = await headers();
  return {
    actor: await actorFromSession(db, await auth()),
    meta: { ip: clientIp(requestHeaders), userAgent: requestHeaders.get("user-agent")?.slice(0, 512) ?? null },
  };
}
