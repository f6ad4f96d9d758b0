import type { Tx } from "@/db/client";
import type { couponBooks } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { quoteCoupon, type CouponTerms, type NotApplicableReason, type Quote } from "@/lib/pricing/price-tower";
import type { Cart } from "@/lib/pricing/schemas";
import { claimCampaignRoom } from "./caps";

type Book = typeof couponBooks.$inferSelect;

const couponTerms = (book: Book, remainingBudget: number | null): CouponTerms => ({
  couponBookId: book.id,
  businessId: book.businessId,
  discountType: book.discountType,
  discountValue: book.discountValue,
  currency: book.currency,
  minOrderAmount: book.minOrderAmount,
  maxDiscountAmount: book.maxDiscountAmount,
  remainingBudget,
});

const NOT_APPLICABLE_MESSAGES: Record<NotApplicableReason, string> = {
  CURRENCY_MISMATCH: "The cart's currency is not the coupon's",
  NO_ELIGIBLE_ITEMS: "The cart has no items of this coupon's seller",
  BELOW_MINIMUM: "The seller's items in the cart are below the coupon's minimum order",
  NOTHING_TO_DISCOUNT: "The coupon would take nothing off this cart",
};

function notApplicableError(reason: NotApplicableReason, book: Book) {
  return new AppError("COUPON_NOT_APPLICABLE", NOT_APPLICABLE_MESSAGES[reason], {
    reason,
    couponBookId: book.id,
    ...(reason === "BELOW_MINIMUM" ? { minOrderAmount: book.minOrderAmount } : {}),
  });
}

/**
 * What one new use of `book` (a reservation, or a redemption straight from ASSIGNED) takes off the
 * cart: the conditions first, then the campaign's room under its cap lock, then the quote capped by
 * the budget left. Without a cart the discount is unknown, which a budget-capped book cannot allow.
 */
export async function priceUse(tx: Tx, book: Book, cart: Cart | undefined): Promise<Extract<Quote, { applicable: true }> | null> {
  if (cart) {
    const unbudgeted = quoteCoupon(cart, couponTerms(book, null));
    if (!unbudgeted.applicable) throw notApplicableError(unbudgeted.reason, book);
  } else if (book.budgetAmount !== null) {
    throw new AppError("VALIDATION_ERROR", "This coupon's campaign has a budget: send the cart so the discount can be priced", {
      details: [{ path: ["cart"], message: "Required for a budget-capped coupon book" }],
    });
  }
  const { remainingBudget } = await claimCampaignRoom(tx, book);
  if (!cart) return null;
  const quote = quoteCoupon(cart, couponTerms(book, remainingBudget));
  if (!quote.applicable) throw notApplicableError(quote.reason, book);
  return quote;
}
