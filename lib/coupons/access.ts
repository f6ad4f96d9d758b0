import { and, eq, type SQL } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { couponBooks } from "@/db/schema";
import { actorBusinessId, isShopper, type Actor } from "@/lib/auth/actor";
import { AppError } from "@/lib/errors";

type ScopeOptions = {
  /**
   * Lets a shopper name the business like ops do: a code lookup (assigning a GENERIC book's public
   * code) is scoped by business (DESIGN §5), and shoppers have none of their own.
   */
  allowShoppers?: boolean;
};

/**
 * The business a call acts for. Sellers and API keys have their own, and naming another is a 403
 * (DESIGN §6); ops and internal callers name one, or none where the call allows every business.
 */
export function businessScope(actor: Actor, requested: string | undefined, options: ScopeOptions = {}): string | undefined {
  if (isShopper(actor) && !options.allowShoppers) throw new AppError("FORBIDDEN", "Shoppers cannot act for a business");
  const own = actorBusinessId(actor);
  if (own) {
    if (requested && requested !== own) throw new AppError("FORBIDDEN", "This caller may only act for its own business");
    return own;
  }
  return requested;
}

/** `businessScope`, where the call needs one business: a caller without its own must name it (400). */
export function requireBusinessScope(actor: Actor, requested: string | undefined, options: ScopeOptions = {}): string {
  const scope = businessScope(actor, requested, options);
  if (!scope) throw new AppError("VALIDATION_ERROR", "businessId is required for this caller", { details: [{ path: ["businessId"], message: "Required" }] });
  return scope;
}

/** `where` fragment restricting books to what the actor may see. */
function bookVisibleTo(actor: Actor): SQL | undefined {
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
