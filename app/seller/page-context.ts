import { notFound, redirect } from "next/navigation";
import { db } from "@/db/client";
import { isShopper, type Actor } from "@/lib/auth/actor";
import { signInUrl } from "@/lib/auth/areas";
import { getBook } from "@/lib/coupons/get-book";
import { BookIdParams } from "@/lib/coupons/schemas";
import { isAppError } from "@/lib/errors";
import { pageSession } from "@/app/page-session";

/** The signed-in seller or ops user of a page under /seller (the layout has turned everyone else away). */
export async function sellerPageActor(path: string): Promise<Actor> {
  const { actor } = await pageSession();
  // Covers a session revoked between the layout's check and this render.
  if (!actor || isShopper(actor)) redirect(signInUrl(path, { forbidden: Boolean(actor) }));
  return actor;
}

/** A book the actor may see, through the API's service; a malformed id or someone else's book is a 404 page. */
export async function bookForPage(actor: Actor, id: string) {
  if (!BookIdParams.safeParse({ id }).success) notFound();
  try {
    return await getBook(db, actor, id);
  } catch (error) {
    if (isAppError(error) && error.status === 404) notFound();
    throw error;
  }
}
