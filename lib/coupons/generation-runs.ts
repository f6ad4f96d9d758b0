import { randomUUID } from "node:crypto";
import { and, desc, eq, inArray, lte, sql } from "drizzle-orm";
import { z } from "zod";
import type { Db, DbOrTx, Tx } from "@/db/client";
import { codeGenerationRuns, couponBooks, GENERATION_RUN_STATUSES } from "@/db/schema";
import type { Actor } from "@/lib/auth/actor";
import { AppError, isAppError, loggableError } from "@/lib/errors";
import { logger } from "@/lib/log";
import type { RequestMeta } from "@/lib/request-meta";
import { wireDateTime, wireId } from "@/lib/wire";
import { getBookOrThrow } from "./access";
import { writeAudit } from "./audit";
import { effectiveBookStatus } from "./book-dto";
import { refreshCodeStatistics } from "./code-statistics";
import { assertKeyspace, insertFromPattern, parseGenerateRequest } from "./generate-codes";
import { bookTakingCodes, countAddedCodes } from "./insert-codes";
import type { StartGenerationInput } from "./schemas";

type Run = typeof codeGenerationRuns.$inferSelect;

/**
 * Codes a chunk commits: each chunk is one transaction that adds its codes and moves `generated` and
 * the book's generated_count together, so the progress a poller reads is the count of codes there.
 * 10,000 codes take ~0.3 s, often enough for a progress bar, few enough commits not to slow the run.
 */
export const GENERATION_CHUNK = 10_000;
/** How long a worker holds a run between chunks; a run whose lease ran out has lost its worker. */
const LEASE_SECONDS = 30;

const FINISHED = ["SUCCEEDED", "FAILED"] as const;

/** The actor a run stores to write its audit row when it ends, read back as what it was. */
const StoredActor = z.union([
  z.object({ kind: z.literal("apiKey"), keyId: z.string(), businessId: z.string() }),
  z.object({ kind: z.literal("internal") }),
  z.object({ kind: z.literal("user"), role: z.literal("seller"), userId: z.string(), businessId: z.string() }),
  z.object({ kind: z.literal("user"), role: z.enum(["ops", "shopper"]), userId: z.string() }),
]);

/** A background generation as the API shows it (the published contract's CodeGenerationRun). */
export const GenerationRunDto = z
  .strictObject({
    id: wireId,
    couponBookId: wireId,
    pattern: z.string(),
    quantity: z.number().int().min(1),
    generated: z.number().int().min(0).describe("Codes committed so far: they are in the book already, even if the run later fails"),
    status: z.enum(GENERATION_RUN_STATUSES).describe("QUEUED → RUNNING → SUCCEEDED | FAILED"),
    error: z.string().nullable().describe("Why a FAILED run stopped (the book archived or expired, the pattern's keyspace used up); null otherwise"),
    createdAt: wireDateTime,
    startedAt: wireDateTime.nullable(),
    finishedAt: wireDateTime.nullable(),
  })
  .meta({ id: "CodeGenerationRun" });
export type GenerationRunDto = z.infer<typeof GenerationRunDto>;

export function generationRunDto(run: Run): GenerationRunDto {
  return {
    id: run.id,
    couponBookId: run.bookId,
    pattern: run.pattern,
    quantity: run.quantity,
    generated: run.generated,
    status: run.status,
    error: run.error,
    createdAt: run.createdAt.toISOString(),
    startedAt: run.startedAt?.toISOString() ?? null,
    finishedAt: run.finishedAt?.toISOString() ?? null,
  };
}

/**
 * Starts generating `quantity` codes in the background and answers at once with the QUEUED run;
 * `advanceGenerationRun` does the work. The checks are the synchronous call's (quantity, pattern,
 * the book taking codes, the keyspace counting other unfinished runs), made now under the book's
 * lock, so a refused request leaves no run behind. The same `requestKey` on the same book answers
 * the run it already started (a resubmitted form, a retried request) instead of starting another.
 */
export async function startCodeGeneration(db: Db, actor: Actor, input: StartGenerationInput, meta: RequestMeta) {
  const parsed = parseGenerateRequest(input);
  const requestKey = input.requestKey ?? randomUUID();
  return db.transaction(async (tx) => {
    const book = await bookTakingCodes(tx, actor, input.couponBookId, "generated for");
    const existing = await runByRequestKey(tx, book.id, requestKey);
    if (existing) return sameRequestOrThrow(existing, input);
    await assertKeyspace(tx, book, parsed, input.quantity);
    const [run] = await tx
      .insert(codeGenerationRuns)
      .values({
        businessId: book.businessId,
        bookId: book.id,
        requestKey,
        pattern: input.pattern,
        quantity: input.quantity,
        requestedBy: actor,
        requestIp: meta.ip,
        requestUserAgent: meta.userAgent,
      })
      .returning();
    return generationRunDto(run!);
  });
}

async function runByRequestKey(tx: Tx, bookId: string, requestKey: string) {
  const [run] = await tx
    .select()
    .from(codeGenerationRuns)
    .where(and(eq(codeGenerationRuns.bookId, bookId), eq(codeGenerationRuns.requestKey, requestKey)));
  return run;
}

function sameRequestOrThrow(run: Run, input: StartGenerationInput) {
  if (run.pattern !== input.pattern || run.quantity !== input.quantity) {
    throw new AppError("IDEMPOTENCY_KEY_REUSED", "This requestKey already started a run with another pattern or quantity", { runId: run.id });
  }
  return generationRunDto(run);
}

/** A run of a book the actor may see (another business's run answers 404, like a missing one). */
export async function getGenerationRun(db: DbOrTx, actor: Actor, runId: string) {
  const [run] = await db.select().from(codeGenerationRuns).where(eq(codeGenerationRuns.id, runId));
  if (!run) throw new AppError("NOT_FOUND", "Generation run not found", { runId });
  try {
    await getBookOrThrow(db, actor, run.bookId);
  } catch (error) {
    if (isAppError(error) && error.code === "BOOK_NOT_FOUND") throw new AppError("NOT_FOUND", "Generation run not found", { runId });
    throw error;
  }
  return { run: generationRunDto(run), orphaned: isOrphaned(run) };
}

/** An unfinished run no worker holds: its worker died (a restart, a timeout), so a poll may resume it. */
const isOrphaned = (run: Run) => !isFinished(run) && run.leaseUntil.getTime() < Date.now();
const isFinished = (run: Run) => (FINISHED as readonly string[]).includes(run.status);

/** The book's runs, newest first (the generate page shows the unfinished ones with their progress). */
export async function listGenerationRuns(db: DbOrTx, actor: Actor, bookId: string, limit = 5) {
  const book = await getBookOrThrow(db, actor, bookId);
  const runs = await db
    .select()
    .from(codeGenerationRuns)
    .where(eq(codeGenerationRuns.bookId, book.id))
    .orderBy(desc(codeGenerationRuns.createdAt))
    .limit(limit);
  return runs.map(generationRunDto);
}

/**
 * Runs a run to its end, chunk by chunk, if no other worker holds it (its lease); a second caller
 * returns at once. Safe to call any number of times from anywhere (after the start request, a
 * poll that finds it orphaned, the `code-generation` job): each chunk locks the run row and reads
 * what is left, so codes are never generated twice and a run resumed after a crash ends exact.
 * A domain refusal in a chunk (the book was archived, the pattern's keyspace ran out) fails the
 * run and keeps the codes already committed; any other error leaves the run for the next worker.
 */
export async function advanceGenerationRun(db: Db, runId: string): Promise<GenerationRunDto | null> {
  if (!(await claimRun(db, runId))) return null;
  try {
    let run: Run;
    do run = await generateNextChunk(db, runId);
    while (!isFinished(run));
    if (run.status === "SUCCEEDED") await refreshCodeStatistics(db, run.quantity);
    return generationRunDto(run);
  } catch (error) {
    if (isAppError(error)) return generationRunDto(await failRun(db, runId, error.message));
    logger.error({ runId, ...loggableError(error) }, "code generation run stopped; it resumes when its lease runs out");
    throw error;
  }
}

async function claimRun(db: Db, runId: string) {
  const claimed = await db
    .update(codeGenerationRuns)
    .set({ leaseUntil: sql`now() + make_interval(secs => ${LEASE_SECONDS})` })
    .where(and(eq(codeGenerationRuns.id, runId), inArray(codeGenerationRuns.status, ["QUEUED", "RUNNING"]), lte(codeGenerationRuns.leaseUntil, sql`now()`)))
    .returning({ id: codeGenerationRuns.id });
  return claimed.length > 0;
}

/**
 * One chunk of a run in one transaction (advanceGenerationRun repeats it): the run row locked first,
 * then the book, the order every writer of a run takes; what is left is read under that lock.
 */
export async function generateNextChunk(db: Db, runId: string): Promise<Run> {
  return db.transaction(async (tx) => {
    const [run] = await tx.select().from(codeGenerationRuns).where(eq(codeGenerationRuns.id, runId)).for("update");
    if (!run) throw new Error(`generation run ${runId} vanished`);
    if (isFinished(run)) return run;
    const [book] = await tx.select().from(couponBooks).where(eq(couponBooks.id, run.bookId)).for("update");
    const status = effectiveBookStatus(book!);
    if (status === "ARCHIVED" || status === "EXPIRED") {
      throw new AppError("BOOK_NOT_ACTIVE", `The book became ${status} after ${run.generated.toLocaleString("en-US")} of ${run.quantity.toLocaleString("en-US")} codes`);
    }
    const parsed = parseGenerateRequest(run);
    const count = Math.min(GENERATION_CHUNK, run.quantity - run.generated);
    await insertFromPattern(tx, book!, parsed, count);
    await countAddedCodes(tx, book!.id, count, book!.codePrefix ?? (parsed.literalHead || null));
    const generated = run.generated + count;
    const done = generated === run.quantity;
    const [updated] = await tx
      .update(codeGenerationRuns)
      .set({
        generated,
        status: done ? "SUCCEEDED" : "RUNNING",
        startedAt: run.startedAt ?? sql`now()`,
        finishedAt: done ? sql`now()` : null,
        leaseUntil: sql`now() + make_interval(secs => ${LEASE_SECONDS})`,
        updatedAt: sql`now()`,
      })
      .where(eq(codeGenerationRuns.id, run.id))
      .returning();
    if (done) await auditRun(tx, updated!);
    return updated!;
  });
}

async function failRun(db: Db, runId: string, message: string): Promise<Run> {
  return db.transaction(async (tx) => {
    const [failed] = await tx
      .update(codeGenerationRuns)
      .set({ status: "FAILED", error: message, finishedAt: sql`now()`, updatedAt: sql`now()` })
      .where(and(eq(codeGenerationRuns.id, runId), inArray(codeGenerationRuns.status, ["QUEUED", "RUNNING"])))
      .returning();
    if (!failed) {
      const [run] = await tx.select().from(codeGenerationRuns).where(eq(codeGenerationRuns.id, runId));
      return run!;
    }
    await auditRun(tx, failed);
    return failed;
  });
}

/** One GENERATE row per run, when it ends, in the name of whoever started it (like a synchronous generate's). */
async function auditRun(tx: Tx, run: Run) {
  await writeAudit(
    tx,
    StoredActor.parse(run.requestedBy),
    { ip: run.requestIp, userAgent: run.requestUserAgent },
    {
      businessId: run.businessId,
      bookId: run.bookId,
      action: "GENERATE",
      details: { runId: run.id, quantity: run.quantity, generated: run.generated, pattern: run.pattern, status: run.status, ...(run.error ? { error: run.error } : {}) },
    },
  );
}

/**
 * Finds unfinished runs whose worker is gone and runs them to their end, at most `limit` per call
 * (the `code-generation` job; a server restart mid-run is the usual cause).
 */
export async function resumeOrphanedRuns(db: Db, limit: number) {
  const orphans = await db
    .select({ id: codeGenerationRuns.id })
    .from(codeGenerationRuns)
    .where(and(inArray(codeGenerationRuns.status, ["QUEUED", "RUNNING"]), lte(codeGenerationRuns.leaseUntil, sql`now()`)))
    .orderBy(codeGenerationRuns.leaseUntil)
    .limit(limit);
  let resumed = 0;
  let succeeded = 0;
  for (const { id } of orphans) {
    const run = await advanceGenerationRun(db, id);
    if (!run) continue;
    resumed++;
    if (run.status === "SUCCEEDED") succeeded++;
  }
  return { found: orphans.length, resumed, succeeded };
}
