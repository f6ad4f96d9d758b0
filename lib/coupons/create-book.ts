import { eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { businesses, couponBooks, couponCodes } from "@/db/schema";
import type { Actor } from "@/lib/auth/actor";
import { AppError } from "@/lib/errors";
import type { RequestMeta } from "@/lib/request-meta";
import { requireBusinessScope } from "./access";
import { writeAudit } from "./audit";
import { toBookDto } from "./book-dto";
import type { CreateBookInput } from "./schemas";

/** Creates a DRAFT book; a GENERIC book gets its one public code at once. */
export async function createBook(db: Db, actor: Actor, input: CreateBookInput, meta: RequestMeta) {
  const businessId = requireBusinessScope(actor, input.businessId);
  return db.transaction(async (tx) => {
    const [business] = await tx.select({ id: businesses.id }).from(businesses).where(eq(businesses.id, businessId));
    if (!business) throw new AppError("NOT_FOUND", "Business not found", { businessId });

    const { code, ...fields } = input;
    const [book] = await tx
      .insert(couponBooks)
      .values({ ...fields, businessId, generatedCount: code ? 1 : 0, codePrefix: fields.codePrefix ?? null })
      .returning();
    if (!book) throw new AppError("INTERNAL_ERROR", "Book was not created");

    if (code) {
      const inserted = await tx
        .insert(couponCodes)
        .values({ businessId, bookId: book.id, code })
        .onConflictDoNothing()
        .returning({ id: couponCodes.id });
      if (inserted.length === 0) {
        throw new AppError("CONFLICT", "This business already has a coupon with that code", { field: "code" });
      }
    }
    await writeAudit(tx, actor, meta, {
      businessId,
      bookId: book.id,
      action: "CREATE_BOOK",
      newStatus: book.status,
      details: { codeKind: book.codeKind },
    });
    return toBookDto(book, code ?? null);
  });
}
