import { randomUUID } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import postgres from "postgres";
import { describe, expect, it } from "vitest";
import { db } from "@/db/client";
import { postgresConnection } from "@/db/connection-url";
import { codeGenerationRuns, couponBooks, couponCodes, redemptionAudit } from "@/db/schema";
import type { Actor } from "@/lib/auth/actor";
import { settings } from "@/lib/env";
import { activeBook, businessWithKey } from "@/testing/fixtures";
import { generateCodes } from "./generate-codes";
import { advanceGenerationRun, GENERATION_CHUNK, generateNextChunk, getGenerationRun, resumeOrphanedRuns, startCodeGeneration } from "./generation-runs";

const META = { ip: "203.0.113.7", userAgent: "vitest" };

async function sellerWithBook(overrides: Partial<typeof couponBooks.$inferInsert> = {}) {
  const { businessId } = await businessWithKey();
  const seller: Actor = { kind: "user", role: "seller", userId: randomUUID(), businessId };
  const book = await activeBook(businessId, { codes: 0, overrides: { status: "DRAFT", ...overrides } });
  return { seller, book, businessId };
}

const codeCount = async (bookId: string) => (await db.select({ n: sql<number>`count(*)::int` }).from(couponCodes).where(eq(couponCodes.bookId, bookId)))[0]!.n;
const bookRow = async (bookId: string) => (await db.select().from(couponBooks).where(eq(couponBooks.id, bookId)))[0]!;
const runRow = async (runId: string) => (await db.select().from(codeGenerationRuns).where(eq(codeGenerationRuns.id, runId)))[0]!;
const expireLease = (runId: string) => db.update(codeGenerationRuns).set({ leaseUntil: sql`now() - interval '1 second'` }).where(eq(codeGenerationRuns.id, runId));

describe("background code generation", () => {
  it("makes exactly `quantity` codes in chunks, counts them on the book as it goes, and audits the run once, as its starter", async () => {
    const { seller, book } = await sellerWithBook();
    const quantity = 2 * GENERATION_CHUNK + 500;
    const started = await startCodeGeneration(db, seller, { couponBookId: book.id, quantity, pattern: "BG-{XXXXXXXX}" }, META);
    expect(started).toMatchObject({ status: "QUEUED", generated: 0, quantity });

    const first = await generateNextChunk(db, started.id);
    expect(first).toMatchObject({ status: "RUNNING", generated: GENERATION_CHUNK });
    expect(await codeCount(book.id)).toBe(GENERATION_CHUNK);
    expect((await bookRow(book.id)).generatedCount).toBe(GENERATION_CHUNK);

    // generateNextChunk took the lease like a worker would; that worker is gone, so the next one may claim the run.
    await expireLease(started.id);
    const finished = await advanceGenerationRun(db, started.id);
    expect(finished).toMatchObject({ status: "SUCCEEDED", generated: quantity, error: null });
    expect(await codeCount(book.id)).toBe(quantity);
    expect(await bookRow(book.id)).toMatchObject({ generatedCount: quantity, codePrefix: "BG-" });

    const audit = await db.select().from(redemptionAudit).where(and(eq(redemptionAudit.bookId, book.id), eq(redemptionAudit.action, "GENERATE")));
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor: `seller:${seller.kind === "user" ? seller.userId : ""}`, ip: META.ip, userAgent: META.userAgent });
    expect(audit[0]!.details).toMatchObject({ runId: started.id, quantity, generated: quantity, status: "SUCCEEDED" });
    // A finished run is left alone by a second worker.
    expect(await advanceGenerationRun(db, started.id)).toBeNull();
  });

  it("answers the same run for the same requestKey, and refuses the key with another quantity", async () => {
    const { seller, book } = await sellerWithBook();
    const input = { couponBookId: book.id, quantity: 100, pattern: "K-{XXXXXXXX}", requestKey: "form-1" };
    const first = await startCodeGeneration(db, seller, input, META);
    const again = await startCodeGeneration(db, seller, input, META);
    expect(again.id).toBe(first.id);
    await expect(startCodeGeneration(db, seller, { ...input, quantity: 101 }, META)).rejects.toMatchObject({ code: "IDEMPOTENCY_KEY_REUSED" });
    expect(await db.select().from(codeGenerationRuns).where(eq(codeGenerationRuns.bookId, book.id))).toHaveLength(1);
  });

  it("counts the codes unfinished runs are still to make in the keyspace rule, for runs and synchronous generates alike", async () => {
    const { seller, book } = await sellerWithBook();
    // G-{XXX}: 32,768 codes, room for 327 under the 100× rule.
    await startCodeGeneration(db, seller, { couponBookId: book.id, quantity: 300, pattern: "G-{XXX}" }, META);
    expect((await bookRow(book.id)).generatedCount).toBe(0);
    await expect(startCodeGeneration(db, seller, { couponBookId: book.id, quantity: 28, pattern: "G-{XXX}" }, META)).rejects.toMatchObject({
      code: "PATTERN_TOO_GUESSABLE",
    });
    await expect(generateCodes(db, seller, { couponBookId: book.id, quantity: 28, pattern: "G-{XXX}" }, META)).rejects.toMatchObject({ code: "PATTERN_TOO_GUESSABLE" });
    expect((await startCodeGeneration(db, seller, { couponBookId: book.id, quantity: 27, pattern: "G-{XXX}" }, META)).status).toBe("QUEUED");
  });

  it("refuses what a synchronous generate refuses before any run exists: another business's book, a GENERIC book, a bad pattern", async () => {
    const { book } = await sellerWithBook();
    const { seller: stranger } = await sellerWithBook();
    await expect(startCodeGeneration(db, stranger, { couponBookId: book.id, quantity: 1, pattern: "S-{XXXXXXXX}" }, META)).rejects.toMatchObject({ code: "BOOK_NOT_FOUND" });
    const { seller, book: generic } = await sellerWithBook({ codeKind: "GENERIC" });
    await expect(startCodeGeneration(db, seller, { couponBookId: generic.id, quantity: 1, pattern: "S-{XXXXXXXX}" }, META)).rejects.toMatchObject({ code: "WRONG_CODE_KIND" });
    await expect(startCodeGeneration(db, seller, { couponBookId: generic.id, quantity: 1, pattern: "S-{" }, META)).rejects.toMatchObject({ code: "VALIDATION_ERROR" });
    expect(await db.select().from(codeGenerationRuns)).toEqual([]);
  });

  it("two workers on one run never make a chunk twice: the second waits on the run row and continues from the first's count", async () => {
    const { seller, book } = await sellerWithBook();
    const run = await startCodeGeneration(db, seller, { couponBookId: book.id, quantity: 3 * GENERATION_CHUNK, pattern: "W-{XXXXXXXX}" }, META);
    const connection = postgresConnection(settings("DATABASE_URL").DATABASE_URL);
    const blocker = postgres(connection.url, { ...connection.options, max: 1, onnotice: () => {} });
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let held!: () => void;
    const holding = new Promise<void>((resolve) => (held = resolve));
    const holder = blocker.begin(async (tx) => {
      await tx`select 1 from code_generation_runs where id = ${run.id} for update`;
      held();
      await released;
    });
    try {
      await holding;
      const workers = [generateNextChunk(db, run.id), generateNextChunk(db, run.id)];
      await waitForWaiters(2);
      release();
      await holder;
      await Promise.all(workers);
    } finally {
      release();
      await blocker.end();
    }
    expect(await runRow(run.id)).toMatchObject({ generated: 2 * GENERATION_CHUNK, status: "RUNNING" });
    expect(await codeCount(book.id)).toBe(2 * GENERATION_CHUNK);
    expect((await bookRow(book.id)).generatedCount).toBe(2 * GENERATION_CHUNK);
  });

  it("a run whose worker died is resumed by the job, from where it stopped, and ends exact", async () => {
    const { seller, book } = await sellerWithBook();
    const quantity = GENERATION_CHUNK + 1_234;
    const run = await startCodeGeneration(db, seller, { couponBookId: book.id, quantity, pattern: "R-{XXXXXXXX}" }, META);
    await generateNextChunk(db, run.id);
    // The worker still holds its lease: neither a second worker nor the job takes the run.
    expect(await advanceGenerationRun(db, run.id)).toBeNull();
    expect(await resumeOrphanedRuns(db, 5)).toEqual({ found: 0, resumed: 0, succeeded: 0 });
    expect((await getGenerationRun(db, seller, run.id)).orphaned).toBe(false);

    await expireLease(run.id);
    expect((await getGenerationRun(db, seller, run.id)).orphaned).toBe(true);
    expect(await resumeOrphanedRuns(db, 5)).toEqual({ found: 1, resumed: 1, succeeded: 1 });
    expect(await runRow(run.id)).toMatchObject({ status: "SUCCEEDED", generated: quantity });
    expect(await codeCount(book.id)).toBe(quantity);
    expect((await bookRow(book.id)).generatedCount).toBe(quantity);
  });

  it("fails the run when the book is archived mid-way, keeps the codes made, and audits what happened", async () => {
    const { seller, book } = await sellerWithBook();
    const run = await startCodeGeneration(db, seller, { couponBookId: book.id, quantity: 2 * GENERATION_CHUNK, pattern: "A-{XXXXXXXX}" }, META);
    await generateNextChunk(db, run.id);
    await db.update(couponBooks).set({ status: "ARCHIVED" }).where(eq(couponBooks.id, book.id));
    await expireLease(run.id);
    const failed = await advanceGenerationRun(db, run.id);
    expect(failed).toMatchObject({ status: "FAILED", generated: GENERATION_CHUNK, error: "The book became ARCHIVED after 10,000 of 20,000 codes" });
    expect(await codeCount(book.id)).toBe(GENERATION_CHUNK);
    const [audit] = await db.select().from(redemptionAudit).where(and(eq(redemptionAudit.bookId, book.id), eq(redemptionAudit.action, "GENERATE")));
    expect(audit!.details).toMatchObject({ runId: run.id, status: "FAILED", generated: GENERATION_CHUNK, quantity: 2 * GENERATION_CHUNK });
  });

  it("shows a run only to whoever may see its book", async () => {
    const { seller, book } = await sellerWithBook();
    const { seller: stranger } = await sellerWithBook();
    const run = await startCodeGeneration(db, seller, { couponBookId: book.id, quantity: 1, pattern: "V-{XXXXXXXX}" }, META);
    expect((await getGenerationRun(db, seller, run.id)).run.id).toBe(run.id);
    expect((await getGenerationRun(db, { kind: "user", role: "ops", userId: randomUUID() }, run.id)).run.id).toBe(run.id);
    await expect(getGenerationRun(db, stranger, run.id)).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(getGenerationRun(db, { kind: "user", role: "shopper", userId: randomUUID() }, run.id)).rejects.toMatchObject({ code: "FORBIDDEN" });
  });
});

/** Waits until `count` backends wait on a lock taken on code_generation_runs: both workers are queued behind the holder. */
async function waitForWaiters(count: number) {
  const deadline = Date.now() + 5_000;
  for (;;) {
    const [row] = await db.execute<{ waiting: number }>(sql`
      select count(*)::int as waiting from pg_stat_activity
      where wait_event_type = 'Lock' and query ilike '%code_generation_runs%' and datname = current_database()`);
    if ((row?.waiting ?? 0) >= count) return;
    if (Date.now() > deadline) throw new Error(`${row?.waiting ?? 0} of ${count} workers wait on the run row: a worker did not lock it`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
