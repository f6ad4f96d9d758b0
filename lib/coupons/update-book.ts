import { eq, sql } from "drizzle-orm";
import type { Db, Tx } from "@/db/client";
import { couponBooks } from "@/db/schema";
import type { Actor } from "@/lib/auth/actor";
import { AppError } from "@/lib/errors";
import type { RequestMeta } from "@/lib/request-meta";
import { getBookOrThrow } from "./access";
import { writeAudit, type AuditAction } from "./audit";
import { effectiveBookStatus, toBookDto } from "./book-dto";
import { genericCodesOf } from "./generic-codes";
import { transitionRefusal } from "./book-transitions";
import { pausedByLabel } from "./paused-by";
import type { BookStatus } from "@/db/schema";
import type { UpdateBookInput } from "./schemas";
import { bookAssignmentUsage, bookCapUsage, lockBookCaps } from "./usage";

type Book = Awaited<ReturnType<typeof getBookOrThrow>>;

const STATUS_ACTION: Partial<Record<BookStatus, AuditAction>> = { PAUSED: "PAUSE", ARCHIVED: "ARCHIVE" };

/** Limits may be raised, never lowered below what is already in use (DESIGN §3). */
async function checkLimits(tx: Tx, book: Book, input: UpdateBookInput) {
  const lowered = (key: "maxCodesPerUser" | "maxRedeemsPerUser" | "maxTotalRedemptions" | "budgetAmount") => {
    const next = input[key];
    const current = book[key];
    return next !== undefined && next !== null && (current === null || next < current);
  };
  if (lowered("maxCodesPerUser") || lowered("maxRedeemsPerUser")) {
    const usage = await bookAssignmentUsage(tx, book.id);
    for (const key of ["maxCodesPerUser", "maxRedeemsPerUser"] as const) {
      if (lowered(key) && input[key]! < usage[key]) {
        throw new AppError("LIMIT_BELOW_USAGE", `${key} cannot go below current usage (${usage[key]})`, { field: key, inUse: usage[key] });
      }
    }
  }
  if (lowered("maxTotalRedemptions") || lowered("budgetAmount")) {
    await lockBookCaps(tx, book.id);
    const usage = await bookCapUsage(tx, book);
    if (lowered("maxTotalRedemptions") && input.maxTotalRedemptions! < usage.uses) {
      throw new AppError("LIMIT_BELOW_USAGE", `maxTotalRedemptions cannot go below current usage (${usage.uses})`, { field: "maxTotalRedemptions", inUse: usage.uses });
    }
    if (lowered("budgetAmount") && input.budgetAmount! < usage.discount) {
      throw new AppError("LIMIT_BELOW_USAGE", `budgetAmount cannot go below the discount already committed (${usage.discount})`, { field: "budgetAmount", inUse: usage.discount });
    }
  }
}

/** PUT/PATCH of a book: partial fields and status transitions, audited in the same transaction. */
export async function updateBook(db: Db, actor: Actor, bookId: string, input: UpdateBookInput, meta: RequestMeta) {
  return db.transaction(async (tx) => {
    const book = await getBookOrThrow(tx, actor, bookId, { forUpdate: true });
    const from = effectiveBookStatus(book);
    const { status: requested, ...fields } = input;
    const to = requested ?? from;
    if (to !== from) {
      const refusal = transitionRefusal(actor, { ...book, status: from }, to);
      if (refusal) throw refusal;
    }

    const discountType = fields.discountType ?? book.discountType;
    const discountValue = fields.discountValue ?? book.discountValue;
    if (discountType === "PERCENT" && (discountValue < 1 || discountValue > 100)) {
      throw new AppError("VALIDATION_ERROR", "A PERCENT discount is a whole percent from 1 to 100", {
        details: [{ path: ["discountValue"], message: "must be 1 to 100 for PERCENT" }],
      });
    }
    const validFrom = fields.validFrom === undefined ? book.validFrom : fields.validFrom;
    const expiresAt = fields.expiresAt === undefined ? book.expiresAt : fields.expiresAt;
    if (validFrom && expiresAt && validFrom >= expiresAt) {
      throw new AppError("VALIDATION_ERROR", "validFrom must be before expiresAt", { details: [{ path: ["validFrom"], message: "must be before the expiry date (expiresAt)" }] });
    }
    await checkLimits(tx, book, fields);

    const statusChange =
      to === from
        ? {}
        : {
            status: to,
            pausedBy: to === "PAUSED" ? pausedByLabel(actor) : to === "ACTIVE" ? null : book.pausedBy,
            // The guard counts only attempts after a resume, so old attempts cannot pause it again.
            ...(from === "PAUSED" && to === "ACTIVE" ? { resumedAt: sql`now()` } : {}),
          };
    const [updated] = await tx
      .update(couponBooks)
      .set({ ...fields, ...statusChange, updatedAt: sql`now()` })
      .where(eq(couponBooks.id, book.id))
      .returning();

    const changed = Object.keys(fields);
    if (changed.length > 0) {
      await writeAudit(tx, actor, meta, { businessId: book.businessId, bookId: book.id, action: "UPDATE_BOOK", details: { fields: changed } });
    }
    if (to !== from) {
      const action = STATUS_ACTION[to] ?? (from === "PAUSED" ? "UNPAUSE" : "ACTIVATE");
      await writeAudit(tx, actor, meta, { businessId: book.businessId, bookId: book.id, action, previousStatus: from, newStatus: to });
    }
    const codes = await genericCodesOf(tx, [updated!]);
    return toBookDto(updated!, codes.get(book.id) ?? null);
  });
}
