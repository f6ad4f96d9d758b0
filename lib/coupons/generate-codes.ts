import type { Db } from "@/db/client";
import type { Actor } from "@/lib/auth/actor";
import { settings } from "@/lib/env";
import { AppError } from "@/lib/errors";
import type { RequestMeta } from "@/lib/request-meta";
import { refreshCodeStatistics } from "./code-statistics";
import { bookTakingCodes, insertCodes, recordAddedCodes } from "./insert-codes";
import { checkKeyspace, fillPattern, parsePattern, PatternError } from "./pattern";
import type { GenerateCodesInput } from "./schemas";

const BATCH = 20_000;

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
    const book = await bookTakingCodes(tx, actor, input.couponBookId, "generated for");
    const keyspace = checkKeyspace(parsed.keyspace, book, input.quantity);
    if (!keyspace.ok) {
      throw new AppError("PATTERN_TOO_GUESSABLE", keyspace.message, { keyspace: keyspace.keyspace, requiredKeyspace: keyspace.requiredKeyspace });
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

    await recordAddedCodes(tx, actor, meta, book, {
      count: input.quantity,
      action: "GENERATE",
      details: { quantity: input.quantity, pattern: input.pattern, keyspace: parsed.keyspace },
      codePrefix: book.codePrefix ?? (parsed.literalHead || null),
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
