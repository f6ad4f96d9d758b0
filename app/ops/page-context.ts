import { redirect } from "next/navigation";
import { pageSession } from "@/app/page-session";
import type { Actor } from "@/lib/auth/actor";
import { signInUrl } from "@/lib/auth/areas";

export type OpsActor = Extract<Actor, { role: "ops" }>;

/** The operator an /ops page renders for (the layout has let only ops in; this narrows the type and re-checks). */
export async function opsPageActor(path: string): Promise<OpsActor> {
  const { actor } = await pageSession();
  if (actor?.kind !== "user" || actor.role !== "ops") redirect(signInUrl(path, { forbidden: Boolean(actor) }));
  return actor;
}
