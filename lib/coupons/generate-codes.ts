import { eq, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { couponBooks } from "@/db/schema";
import type { Actor } from "@/lib/auth/actor";
import { settings } from "@/lib/env";
import { AppError } from "@/lib/errors";
import type { RequestMeta } from "@/lib/request-meta";
import { getBookOrThrow } from "./access";
import { writeAudit } from "./audit";
import { effectiveBookStatus } from "./book-dto";
import { refreshCodeStatistics } from "./code-statistics";
import { insertCodes } from "./insert-codes";
import { fillPattern, parsePattern, PatternError } from "./pattern";
import type { GenerateCodesInput } from "./schemas";

const BATCH = 20_000;
/** A pattern must offer this many times more codes than the book will hold, so guessing stays hopeless. */
export const KEYSPACE_FACTOR = 100;

/**
 * Generates `quantity` new codes from a pattern in one transaction: all of them or none. Collisions
 * (within the batch or with codes the business already has) are redrawn until the count is exact.
 */
export async function generateCodes(db: Db, actor: Actor, input: GenerateCodesInput, meta: RequestMeta) {
  const maxQuantity = settings("GENERATE_MAX_QUANTITY").GENERATE_MAX_QUANTITY;
  if (input.quantity > maxQuantity) {
    throw new AppError("VALIDATION_ERROR", `quantity may be at most ${maxQuantity} per call`, {
      details: [{ path: ["quantity"], message: `at most ${maxQuantity}` }],
    });
  }
  let parsed;
  try {
    parsed = parsePattern(input.pattern);
  } catch (error) {
    if (!(error instanceof PatternError)) throw error;
    throw new AppError("VALIDATION_ERROR", `Invalid pattern: ${error.message}`, { details: [{ path: ["pattern"], message: error.message }] });
  }

  const result = await db.transaction(async (tx) => {
    // Row-locked: two generate calls on one book must not both pass the keyspace check.
    const book = await getBookOrThrow(tx, actor, input.couponBookId, { forUpdate: true });
    if (book.codeKind === "GENERIC") throw new AppError("WRONG_CODE_KIND", "A GENERIC book has one public code; codes cannot be generated for it");
    const status = effectiveBookStatus(book);
    if (status === "ARCHIVED" || status === "EXPIRED") {
      throw new AppError("BOOK_NOT_ACTIVE", `Codes cannot be added to a ${status} book`, { status });
    }
    const required = KEYSPACE_FACTOR * Math.max(book.totalCodesExpected ?? 0, book.generatedCount + input.quantity);
    if (parsed.keyspace < required) {
      throw new AppError("PATTERN_TOO_GUESSABLE", `The pattern makes ${parsed.keyspace} codes; at least ${required} are required (100× the codes of the book)`, {
        keyspace: parsed.keyspace,
        requiredKeyspace: required,
      });
    }

    let remaining = input.quantity;
    let firstCode: string | undefined;
    let lastCode: string | undefined;
    let fruitless = 0;
    while (remaining > 0) {
      const wanted = Math.min(remaining, BATCH);
      const batch = [...new Set(fillPattern(parsed, wanted))];
      const inserted = await insertCodes(tx, { businessId: book.businessId, bookId: book.id }, batch);
      if (inserted.length === 0 && ++fruitless > 5) {
        throw new AppError("CONFLICT", "The pattern's keyspace is used up by existing codes");
      }
      firstCode ??= inserted[0];
      lastCode = inserted.at(-1) ?? lastCode;
      remaining -= inserted.length;
    }

    await tx
      .update(couponBooks)
      .set({
        generatedCount: sql`${couponBooks.generatedCount} + ${input.quantity}`,
        codePrefix: book.codePrefix ?? (parsed.literalHead || null),
        updatedAt: sql`now()`,
      })
      .where(eq(couponBooks.id, book.id));
    await writeAudit(tx, actor, meta, {
      businessId: book.businessId,
      bookId: book.id,
      action: "GENERATE",
      details: { quantity: input.quantity, pattern: input.pattern, keyspace: parsed.keyspace },
    });
    return {
      generatedCount: input.quantity,
      couponBookId: book.id,
      firstCode: firstCode ?? null,
      lastCode: lastCode ?? null,
      pattern: input.pattern,
      keyspace: parsed.keyspace,
    };
  });
  await refreshCodeStatistics(db, result.generatedCount);
  return result;
}
