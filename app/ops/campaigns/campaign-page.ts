import { notFound } from "next/navigation";
import { isAppError } from "@/lib/errors";
import { CampaignIdParams } from "@/lib/ops/schemas";

/** The campaign id of a page's path, checked with the API's params schema: a malformed one is the 404 page. */
export function campaignIdOrNotFound(id: string): string {
  const parsed = CampaignIdParams.safeParse({ id });
  if (!parsed.success) notFound();
  return parsed.data.id;
}

/** A service's BOOK_NOT_FOUND (no such campaign) is the page's 404; anything else goes to the error boundary. */
export async function orNotFound<T>(promise: Promise<T>): Promise<T> {
  try {
    return await promise;
  } catch (error) {
    if (isAppError(error) && error.code === "BOOK_NOT_FOUND") notFound();
    throw error;
  }
}
