import { and, eq, inArray, sql } from "drizzle-orm";
import { z } from "zod";
import { text } from "@/lib/validation";
import type { Db, Tx } from "@/db/client";
import { couponBooks, couponCodes } from "@/db/schema";
import type { Actor } from "@/lib/auth/actor";
import { settings } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { isMultipart, multipartParts, type MultipartPart } from "@/lib/streams/multipart";
import type { RequestMeta } from "@/lib/request-meta";
import { wireId } from "@/lib/wire";
import { refreshCodeStatistics } from "./code-statistics";
import { csvLines, isHeaderLine, parseCodeLine, type CodeStatusValue } from "./csv-rows";
import { bookTakingCodes, insertCodesReturningSkipped, recordAddedCodes } from "./insert-codes";

/** Rows per INSERT statement. */
const BATCH = 5_000;
const MAX_REPORTED_ERRORS = 100;
/** Room for the multipart framing and the couponBookId field on top of the file itself. */
const MULTIPART_OVERHEAD = 64 * 1024;

export interface UploadCodesInput {
  contentType: string | null;
  contentLength: string | null;
  body: ReadableStream<Uint8Array> | null;
  /** `?couponBookId=`; otherwise the form field, which must come before the file. */
  couponBookId?: string;
}

/** A row of the file that added no code. */
export const UploadRowError = z
  .strictObject({
    row: z.number().int().min(1).describe("1-based line number in the file"),
    error: z.string().describe("Why the row added no code: invalid, a duplicate in the file, or a code the business already has"),
    value: z.string().describe("The row's code (normalized), or for an invalid row the offending text, clipped"),
  })
  .meta({ id: "CodeUploadRowError" });
export type UploadRowError = z.infer<typeof UploadRowError>;

/** What an upload answers (the published contract's CodeUploadResult). */
export const UploadCodesResult = z
  .strictObject({
    uploadedCount: z.number().int().min(0).describe("Codes added to the book"),
    duplicatesCount: z.number().int().min(0).describe("Rows skipped as duplicates, in the file or of codes the business already has"),
    invalidRowsCount: z.number().int().min(0),
    couponBookId: wireId,
    errors: z.array(UploadRowError).max(MAX_REPORTED_ERRORS).describe(`The skipped rows with the lowest line numbers, at most ${MAX_REPORTED_ERRORS}`),
  })
  .meta({ id: "CodeUploadResult" });
export type UploadCodesResult = z.infer<typeof UploadCodesResult>;

type Book = typeof couponBooks.$inferSelect;
type FilePart = Extract<MultipartPart, { kind: "file" }>;

const bookIdField = text().trim().uuid();

function takeBookId(current: string | undefined, value: string): string {
  const parsed = bookIdField.safeParse(value);
  if (!parsed.success) {
    throw new AppError("VALIDATION_ERROR", "couponBookId must be a UUID", { details: [{ path: ["couponBookId"], message: "Invalid UUID" }] });
  }
  if (current && current !== parsed.data) throw new AppError("VALIDATION_ERROR", "couponBookId is given twice with different values");
  return parsed.data;
}

/** Keeps the row errors with the lowest row numbers, in bounded memory. */
class RowErrors {
  private items: UploadRowError[] = [];
  add(row: number, error: string, value: string) {
    this.items.push({ row, error, value });
    if (this.items.length >= MAX_REPORTED_ERRORS * 10) this.trim();
  }
  private trim() {
    this.items.sort((a, b) => a.row - b.row);
    this.items.length = Math.min(this.items.length, MAX_REPORTED_ERRORS);
  }
  first() {
    this.trim();
    return this.items;
  }
}

/**
 * Codes of `codes` that this transaction inserted into the book. The book is row-locked, so only
 * this transaction adds to it, and `now()` (the default of created_at) is this transaction's start.
 */
async function insertedByThisTransaction(tx: Tx, book: Book, codes: string[]) {
  const rows = await tx
    .select({ code: couponCodes.code })
    .from(couponCodes)
    .where(
      and(
        eq(couponCodes.businessId, book.businessId),
        eq(couponCodes.bookId, book.id),
        sql`${couponCodes.createdAt} = now()`,
        inArray(couponCodes.code, codes),
      ),
    );
  return new Set(rows.map((r) => r.code));
}

async function importRows(tx: Tx, book: Book, file: AsyncIterable<Buffer>) {
  const counts = { uploaded: 0, duplicates: 0, invalid: 0 };
  const errors = new RowErrors();
  const target = { businessId: book.businessId, bookId: book.id };
  // In-file duplicates inside a batch are caught here; across batches the unique key catches them
  // (rows inserted earlier in this transaction are visible), so no set of the whole file is kept.
  let batch = new Map<string, { row: number; status: CodeStatusValue }>();

  const flush = async (rows: typeof batch) => {
    const skipped = await insertCodesReturningSkipped(tx, target, Array.from(rows, ([code, { status }]) => ({ code, status })));
    counts.uploaded += rows.size - skipped.length;
    if (skipped.length > 0) {
      const earlierInFile = await insertedByThisTransaction(tx, book, skipped);
      for (const code of skipped) {
        counts.duplicates++;
        const error = earlierInFile.has(code) ? "duplicate code in the file" : "code already exists in this business";
        errors.add(rows.get(code)!.row, error, code);
      }
    }
  };
  // The next batch is parsed while PostgreSQL inserts the previous one; batches still go out one
  // after another, in file order, which the cross-batch duplicate report above relies on.
  let inFlight: Promise<void> = Promise.resolve();
  const send = async () => {
    if (batch.size === 0) return;
    const rows = batch;
    batch = new Map();
    await inFlight;
    inFlight = flush(rows);
    inFlight.catch(() => {}); // thrown by the next await of inFlight, not reported as unhandled meanwhile
  };

  let sawFirstRow = false;
  for await (const line of csvLines(file)) {
    if (!sawFirstRow && line.text.trim() !== "") {
      sawFirstRow = true;
      if (!line.tooLong && isHeaderLine(line.text)) continue;
    }
    const row = parseCodeLine(line);
    if (row.kind === "blank") continue;
    if (row.kind === "invalid") {
      counts.invalid++;
      errors.add(line.line, row.error, row.value);
      continue;
    }
    if (batch.has(row.code)) {
      counts.duplicates++;
      errors.add(line.line, "duplicate code in the file", row.code);
      continue;
    }
    batch.set(row.code, { row: line.line, status: row.status });
    if (batch.size >= BATCH) await send();
  }
  await send();
  await inFlight;
  return { counts, errors: errors.first() };
}

/**
 * POST /api/coupon-codes/upload: a CSV of `code[,status]` rows, streamed from the multipart body
 * and inserted in batches, all in one transaction: a malformed body, a size overrun or any error
 * leaves nothing behind. The book id must be known before the first row (query parameter, or the
 * form field sent before the file), since the file is never buffered.
 */
export async function uploadCodes(db: Db, actor: Actor, input: UploadCodesInput, meta: RequestMeta): Promise<UploadCodesResult> {
  if (!isMultipart(input.contentType)) {
    throw new AppError("UNSUPPORTED_MEDIA_TYPE", "Send a multipart/form-data body with the fields couponBookId and file");
  }
  const maxBytes = settings("UPLOAD_MAX_BYTES").UPLOAD_MAX_BYTES;
  const limits = { fileBytes: maxBytes, totalBytes: maxBytes + MULTIPART_OVERHEAD };
  const declared = Number(input.contentLength ?? Number.NaN);
  if (Number.isFinite(declared) && declared > limits.totalBytes) {
    throw new AppError("PAYLOAD_TOO_LARGE", `The upload is larger than ${maxBytes} bytes`, { maxBytes });
  }
  if (!input.body) throw new AppError("VALIDATION_ERROR", "The form has no file part");

  let bookId = input.couponBookId;
  const parts = multipartParts(input.body, input.contentType!, limits);
  const nextPart = async () => (await parts.next()).value as MultipartPart | undefined;
  try {
    let file: FilePart | undefined;
    while (!file) {
      const part = await nextPart();
      if (!part) break;
      if (part.kind === "field") {
        if (part.name === "couponBookId") bookId = takeBookId(bookId, part.value);
      } else if (part.name === "file") {
        file = part;
      } else {
        throw new AppError("VALIDATION_ERROR", `Unexpected file field "${part.name.slice(0, 50)}": send the CSV as "file"`);
      }
    }
    if (!file) throw new AppError("VALIDATION_ERROR", "The form has no file part named file", { details: [{ path: ["file"], message: "Required" }] });
    if (!bookId) {
      throw new AppError("VALIDATION_ERROR", "Send the couponBookId field before the file (or as ?couponBookId=): the file is streamed", {
        details: [{ path: ["couponBookId"], message: "Required before file" }],
      });
    }
    const couponBookId = bookId;
    const upload = file;

    const result = await db.transaction(async (tx) => {
      const book = await bookTakingCodes(tx, actor, couponBookId, "uploaded to");

      const { counts, errors } = await importRows(tx, book, upload.chunks);
      // Commit only once the whole body has arrived intact; a later couponBookId field must agree.
      for (let part = await nextPart(); part; part = await nextPart()) {
        if (part.kind === "field" && part.name === "couponBookId") takeBookId(couponBookId, part.value);
      }

      await recordAddedCodes(tx, actor, meta, book, {
        count: counts.uploaded,
        action: "UPLOAD",
        details: { uploadedCount: counts.uploaded, duplicatesCount: counts.duplicates, invalidRowsCount: counts.invalid },
      });
      return {
        uploadedCount: counts.uploaded,
        duplicatesCount: counts.duplicates,
        invalidRowsCount: counts.invalid,
        couponBookId: book.id,
        errors,
      };
    });
    await refreshCodeStatistics(db, result.uploadedCount);
    return result;
  } finally {
    await parts.return(undefined);
  }
}
