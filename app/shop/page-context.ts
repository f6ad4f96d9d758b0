import { redirect } from "next/navigation";
import { pageSession } from "@/app/page-session";
import { isShopper, type ShopperActor } from "@/lib/auth/actor";
import { signInUrl } from "@/lib/auth/areas";

/** The shopper a /shop page renders for (the layout has let only shoppers in; this narrows the type and re-checks). */
export async function shopperPageActor(path: string): Promise<ShopperActor> {
  const { actor } = await pageSession();
  if (!actor || !isShopper(actor)) redirect(signInUrl(path));
  return actor;
}
