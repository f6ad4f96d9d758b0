import { and, eq, inArray, sql } from "drizzle-orm";
import { z } from "zod";
import type { Db, Tx } from "@/db/client";
import { codeGenerationRuns, type couponBooks } from "@/db/schema";
import type { Actor } from "@/lib/auth/actor";
import { settings } from "@/lib/env";
import { AppError } from "@/lib/errors";
import type { RequestMeta } from "@/lib/request-meta";
import { wireId } from "@/lib/wire";
import { refreshCodeStatistics } from "./code-statistics";
import { bookTakingCodes, insertCodes, recordAddedCodes } from "./insert-codes";
import { checkKeyspace, fillPattern, parsePattern, PatternError, type ParsedPattern } from "./pattern";
import type { GenerateCodesInput } from "./schemas";

type Book = typeof couponBooks.$inferSelect;

const BATCH = 20_000;

/** The quantity and pattern of a generate request, checked before any row is locked. */
export function parseGenerateRequest(input: Pick<GenerateCodesInput, "pattern" | "quantity">): ParsedPattern {
  const maxQuantity = settings("GENERATE_MAX_QUANTITY").GENERATE_MAX_QUANTITY;
  if (input.quantity > maxQuantity) {
    throw new AppError("VALIDATION_ERROR", `quantity may be at most ${maxQuantity} per call`, {
      details: [{ path: ["quantity"], message: `at most ${maxQuantity}` }],
    });
  }
  try {
    return parsePattern(input.pattern);
  } catch (error) {
    if (!(error instanceof PatternError)) throw error;
    throw new AppError("VALIDATION_ERROR", `Invalid pattern: ${error.message}`, { details: [{ path: ["pattern"], message: error.message }] });
  }
}

/**
 * The keyspace rule (DESIGN §5) for `quantity` more codes, counting the codes the book's unfinished
 * background runs are still to add: they were promised when those runs started. Under the book's lock.
 */
export async function assertKeyspace(tx: Tx, book: Book, parsed: ParsedPattern, quantity: number) {
  const [pending] = await tx
    .select({ codes: sql<number>`coalesce(sum(${codeGenerationRuns.quantity} - ${codeGenerationRuns.generated}), 0)::int` })
    .from(codeGenerationRuns)
    .where(and(eq(codeGenerationRuns.bookId, book.id), inArray(codeGenerationRuns.status, ["QUEUED", "RUNNING"])));
  const keyspace = checkKeyspace(parsed.keyspace, { totalCodesExpected: book.totalCodesExpected, generatedCount: book.generatedCount + (pending?.codes ?? 0) }, quantity);
  if (!keyspace.ok) {
    throw new AppError("PATTERN_TOO_GUESSABLE", keyspace.message, { keyspace: keyspace.keyspace, requiredKeyspace: keyspace.requiredKeyspace });
  }
}

/**
 * Inserts exactly `quantity` new codes drawn from the pattern, in the caller's transaction.
 * Collisions (within a batch or with codes the business already has) are redrawn until the count is
 * exact; a pattern whose draws stop landing is used up (CONFLICT).
 */
export async function insertFromPattern(tx: Tx, book: Book, parsed: ParsedPattern, quantity: number) {
  const draw = (count: number) => (count > 0 ? [...new Set(fillPattern(parsed, Math.min(count, BATCH)))] : []);
  let remaining = quantity;
  let firstCode: string | undefined;
  let lastCode: string | undefined;
  let fruitless = 0;
  let batch = draw(remaining);
  while (remaining > 0) {
    const insert = insertCodes(tx, { businessId: book.businessId, bookId: book.id }, batch);
    insert.catch(() => {}); // a failure is thrown by the await below, not reported as unhandled meanwhile
    // The next batch is drawn while PostgreSQL inserts this one (~1.5 s of a 1M generate off the
    // clock), sized as if this one lands whole, so it never overshoots; collisions are made up after.
    // One statement at a time all the same: the next batch goes out only once this one has answered.
    await new Promise<void>((resolve) => setImmediate(resolve));
    const next = draw(remaining - batch.length);
    const inserted = await insert;
    if (inserted.length === 0 && ++fruitless > 5) {
      throw new AppError("CONFLICT", "The pattern's keyspace is used up by existing codes");
    }
    firstCode ??= inserted[0];
    lastCode = inserted.at(-1) ?? lastCode;
    remaining -= inserted.length;
    batch = next.length > 0 ? next : draw(remaining);
  }
  return { firstCode: firstCode ?? null, lastCode: lastCode ?? null };
}

/** What a synchronous generate answers (the published contract's CodeGenerationResult). */
export const GenerateCodesResult = z
  .strictObject({
    generatedCount: z.number().int().min(1).describe("Exactly the quantity asked for"),
    couponBookId: wireId,
    firstCode: z.string().nullable().describe("The first code inserted, to check the pattern's output"),
    lastCode: z.string().nullable().describe("The last code inserted"),
    pattern: z.string(),
    keyspace: z.number().min(1).describe("How many distinct codes the pattern can make (may exceed 2^53 for long patterns)"),
  })
  .meta({ id: "CodeGenerationResult" });
export type GenerateCodesResult = z.infer<typeof GenerateCodesResult>;

/**
 * Generates `quantity` new codes from a pattern in one transaction: all of them or none. The
 * console's large batches go through background runs instead (generation-runs.ts).
 */
export async function generateCodes(db: Db, actor: Actor, input: GenerateCodesInput, meta: RequestMeta): Promise<GenerateCodesResult> {
  const parsed = parseGenerateRequest(input);
  const result = await db.transaction(async (tx) => {
    // Row-locked: two generate calls on one book must not both pass the keyspace check.
    const book = await bookTakingCodes(tx, actor, input.couponBookId, "generated for");
    await assertKeyspace(tx, book, parsed, input.quantity);
    const { firstCode, lastCode } = await insertFromPattern(tx, book, parsed, input.quantity);
    await recordAddedCodes(tx, actor, meta, book, {
      count: input.quantity,
      action: "GENERATE",
      details: { quantity: input.quantity, pattern: input.pattern, keyspace: parsed.keyspace },
      codePrefix: book.codePrefix ?? (parsed.literalHead || null),
    });
    return {
      generatedCount: input.quantity,
      couponBookId: book.id,
      firstCode,
      lastCode,
      pattern: input.pattern,
      keyspace: parsed.keyspace,
    };
  });
  await refreshCodeStatistics(db, result.generatedCount);
  return result;
}
