import type { couponBooks } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { effectiveBookStatus } from "./book-dto";

type Book = Pick<typeof couponBooks.$inferSelect, "id" | "status" | "expiresAt" | "validFrom">;

/** Only ACTIVE books, started and not past expires_at, assign, lock and redeem (DESIGN §4). */
export function assertBookUsable(book: Book, now = new Date()) {
  const status = effectiveBookStatus(book, now);
  if (status === "EXPIRED") {
    throw new AppError("BOOK_EXPIRED", "This coupon book has expired", { couponBookId: book.id, expiresAt: book.expiresAt?.toISOString() });
  }
  if (status !== "ACTIVE") {
    throw new AppError("BOOK_NOT_ACTIVE", `This coupon book is ${status}`, { couponBookId: book.id, status });
  }
  if (book.validFrom && book.validFrom.getTime() > now.getTime()) {
    throw new AppError("BOOK_NOT_ACTIVE", "This coupon book has not started yet", { couponBookId: book.id, validFrom: book.validFrom.toISOString() });
  }
}
