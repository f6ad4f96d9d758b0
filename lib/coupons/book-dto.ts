import { z } from "zod";
import { BOOK_STATUSES, type BookStatus, type couponBooks } from "@/db/schema";
import { wireDateTime, wireId, wireMoney } from "@/lib/wire";

type BookRow = typeof couponBooks.$inferSelect;

/** A past expires_at reads as EXPIRED before the rollover job has run (DESIGN §4). */
function isBookExpired(book: Pick<BookRow, "expiresAt">, now = new Date()) {
  return book.expiresAt !== null && book.expiresAt.getTime() <= now.getTime();
}

export function effectiveBookStatus(book: Pick<BookRow, "status" | "expiresAt">, now = new Date()): BookStatus {
  if ((book.status === "ACTIVE" || book.status === "PAUSED") && isBookExpired(book, now)) return "EXPIRED";
  return book.status;
}

/** The book as the API shows it (the published contract's CouponBook); `code` is the public code of a GENERIC book. */
export const BookDto = z
  .strictObject({
    id: wireId,
    businessId: wireId,
    name: z.string(),
    description: z.string().nullable(),
    status: z.enum(BOOK_STATUSES).describe("EXPIRED as soon as expiresAt has passed, before the rollover job stores it"),
    isActive: z.boolean().describe("ACTIVE and past validFrom: codes can be locked and redeemed"),
    isExpired: z.boolean(),
    codeKind: z.enum(["UNIQUE", "GENERIC"]),
    code: z.string().nullable().describe("The public code of a GENERIC book; null for UNIQUE books"),
    discountType: z.enum(["PERCENT", "FIXED", "FREE_SHIPPING"]),
    discountValue: z.number().int().min(0).describe("FIXED: minor units; PERCENT: whole percent 1–100; FREE_SHIPPING: unused"),
    currency: z.string(),
    minOrderAmount: wireMoney,
    maxDiscountAmount: wireMoney.nullable(),
    maxCodesPerUser: z.number().int(),
    maxRedeemsPerUser: z.number().int(),
    maxTotalRedemptions: z.number().int().nullable(),
    budgetAmount: wireMoney.nullable(),
    totalCodesExpected: z.number().int().nullable(),
    generatedCount: z.number().int(),
    codePrefix: z.string().nullable(),
    validFrom: wireDateTime.nullable(),
    expiresAt: wireDateTime.nullable(),
    lockTtlSeconds: z.number().int(),
    pausedBy: z.string().nullable().describe("Who paused the book: an operator (only ops may resume) or its seller"),
    selfServiceClaim: z.boolean(),
    createdAt: wireDateTime,
    updatedAt: wireDateTime,
  })
  .meta({ id: "CouponBook" });
export type BookDto = z.infer<typeof BookDto>;

export function toBookDto(book: BookRow, genericCode: string | null = null, now = new Date()): BookDto {
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
