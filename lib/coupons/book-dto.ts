import type { BookStatus, couponBooks } from "@/db/schema";

type BookRow = typeof couponBooks.$inferSelect;

/** A past expires_at reads as EXPIRED before the rollover job has run (DESIGN §4). */
function isBookExpired(book: Pick<BookRow, "expiresAt">, now = new Date()) {
  return book.expiresAt !== null && book.expiresAt.getTime() <= now.getTime();
}

export function effectiveBookStatus(book: Pick<BookRow, "status" | "expiresAt">, now = new Date()): BookStatus {
  if ((book.status === "ACTIVE" || book.status === "PAUSED") && isBookExpired(book, now)) return "EXPIRED";
  return book.status;
}

/** The book as the API shows it; `code` is the public code of a GENERIC book. */
export function toBookDto(book: BookRow, genericCode: string | null = null, now = new Date()) {
  const status = effectiveBookStatus(book, now);
  const started = book.validFrom === null || book.validFrom.getTime() <= now.getTime();
  return {
    id: book.id,
    businessId: book.businessId,
    name: book.name,
    description: book.description,
    status,
    isActive: status === "ACTIVE" && started,
    isExpired: status === "EXPIRED",
    codeKind: book.codeKind,
    code: genericCode,
    discountType: book.discountType,
    discountValue: book.discountValue,
    currency: book.currency,
    minOrderAmount: book.minOrderAmount,
    maxDiscountAmount: book.maxDiscountAmount,
    maxCodesPerUser: book.maxCodesPerUser,
    maxRedeemsPerUser: book.maxRedeemsPerUser,
    maxTotalRedemptions: book.maxTotalRedemptions,
    budgetAmount: book.budgetAmount,
    totalCodesExpected: book.totalCodesExpected,
    generatedCount: book.generatedCount,
    codePrefix: book.codePrefix,
    validFrom: book.validFrom?.toISOString() ?? null,
    expiresAt: book.expiresAt?.toISOString() ?? null,
    lockTtlSeconds: book.lockTtlSeconds,
    pausedBy: book.pausedBy,
    selfServiceClaim: book.selfServiceClaim,
    createdAt: book.createdAt.toISOString(),
    updatedAt: book.updatedAt.toISOString(),
  };
}
export type BookDto = ReturnType<typeof toBookDto>;
