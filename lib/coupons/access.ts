import { and, eq, type SQL } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { couponBooks } from "@/db/schema";
import { actorBusinessId, isShopper, type Actor } from "@/lib/auth/actor";
import { AppError } from "@/lib/errors";

/**
 * The business a call acts for. Sellers and API keys have their own, and naming another is a 403
 * (DESIGN §6); ops and internal callers name one, or none where the call allows every business.
 */
export function businessScope(actor: Actor, requested: string | undefined): string | undefined {
  if (isShopper(actor)) throw new AppError("FORBIDDEN", "Shoppers cannot act for a business");
  const own = actorBusinessId(actor);
  if (own) {
    if (requested && requested !== own) throw new AppError("FORBIDDEN", "This caller may only act for its own business");
    return own;
  }
  return requested;
}

export function requireBusinessScope(actor: Actor, requested: string | undefined): string {
  const scope = businessScope(actor, requested);
  if (!scope) throw new AppError("VALIDATION_ERROR", "businessId is required for this caller", { details: [{ path: ["businessId"], message: "Required" }] });
  return scope;
}

/** `where` fragment restricting books to what the actor may see. */
export function bookVisibleTo(actor: Actor): SQL | undefined {
  const own = actorBusinessId(actor);
  return own ? eq(couponBooks.businessId, own) : undefined;
}

/**
 * A book the actor owns (ops: any), optionally row-locked for an update of the book itself.
 * Another business's book answers 404, like one that does not exist.
 */
export async function getBookOrThrow(db: DbOrTx, actor: Actor, bookId: string, options: { forUpdate?: boolean } = {}) {
  if (isShopper(actor)) throw new AppError("FORBIDDEN", "Shoppers cannot manage coupon books");
  const query = db
    .select()
    .from(couponBooks)
    .where(and(eq(couponBooks.id, bookId), bookVisibleTo(actor)));
  const [book] = options.forUpdate ? await query.for("update") : await query;
  if (!book) throw new AppError("BOOK_NOT_FOUND", "Coupon book not found", { couponBookId: bookId });
  return book;
}
