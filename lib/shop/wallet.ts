import { and, desc, eq, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { businesses, couponAssignments, couponBooks, couponCodes } from "@/db/schema";
import type { ShopperActor } from "@/lib/auth/actor";
import { isLockLive } from "@/lib/coupons/assignment-dto";
import { effectiveBookStatus } from "@/lib/coupons/book-dto";

export type WalletStatus = "ASSIGNED" | "RESERVED" | "REDEEMED" | "EXPIRED" | "REVOKED";

/**
 * The shopper's coupons, newest first: the code, its seller and promotion, what it takes off, and
 * where it stands. RESERVED is a live checkout reservation (until `reservedUntil`); REVOKED means a
 * refund gave its last use back; EXPIRED is a promotion that ended before the code was used up.
 */
export async function listWallet(db: DbOrTx, shopper: ShopperActor, limit = 100) {
  const rows = await db
    .select({
      assignment: couponAssignments,
      code: couponCodes.code,
      book: couponBooks,
      sellerName: businesses.name,
      lastUse: sql<string | null>`(select r.status from redemptions r where r.assignment_id = ${couponAssignments.id} order by r.created_at desc limit 1)`,
      now: sql<string>`now()`,
    })
    .from(couponAssignments)
    .innerJoin(couponCodes, eq(couponCodes.id, couponAssignments.codeId))
    .innerJoin(couponBooks, eq(couponBooks.id, couponAssignments.bookId))
    .innerJoin(businesses, eq(businesses.id, couponBooks.businessId))
    .where(and(eq(couponAssignments.userId, shopper.userId)))
    .orderBy(desc(couponAssignments.assignedAt), desc(couponAssignments.id))
    .limit(limit);
  return rows.map(({ assignment, code, book, sellerName, lastUse, now }) => {
    const at = new Date(now);
    const usesLeft = Math.max(book.maxRedeemsPerUser - assignment.redeemCount, 0);
    const bookStatus = effectiveBookStatus(book, at);
    const reserved = isLockLive(assignment, at);
    const status: WalletStatus = reserved
      ? "RESERVED"
      : usesLeft === 0
        ? "REDEEMED"
        : bookStatus === "EXPIRED" || bookStatus === "ARCHIVED"
          ? "EXPIRED"
          : lastUse === "PR_REVOKED"
            ? "REVOKED"
            : "ASSIGNED";
    return {
      id: assignment.id,
      code,
      status,
      reservedUntil: reserved ? (assignment.lockedUntil?.toISOString() ?? null) : null,
      usesLeft,
      maxUses: book.maxRedeemsPerUser,
      promotion: book.name,
      sellerName,
      discountType: book.discountType,
      discountValue: book.discountValue,
      currency: book.currency,
      minOrderAmount: book.minOrderAmount,
      expiresAt: book.expiresAt?.toISOString() ?? null,
      paused: bookStatus === "PAUSED",
    };
  });
}
export type WalletCoupon = Awaited<ReturnType<typeof listWallet>>[number];
