import { BOOK_MANAGERS } from "@/lib/auth/actor";
import { GenerateCodesResult } from "@/lib/coupons/generate-codes";
import { GenerationRunDto } from "@/lib/coupons/generation-runs";
import { CodesPageDto } from "@/lib/coupons/list-codes";
import { CodeBookParams, GenerateCodesInput, GenerationRunParams, ListCodesQuery, StartGenerationInput, UploadCodesQuery } from "@/lib/coupons/schemas";
import { UploadCodesResult } from "@/lib/coupons/upload-codes";
import { defineOperation } from "../operation";

/** Refusals of every call that adds codes to a book (lib/coupons/insert-codes.ts bookTakingCodes). */
const ADDING_CODES_ERRORS = ["BOOK_NOT_FOUND", "WRONG_CODE_KIND", "BOOK_NOT_ACTIVE"] as const;

export const listCouponCodes = defineOperation({
  operationId: "listCouponCodes",
  method: "GET",
  path: "/api/coupon-codes/book/{bookId}",
  tag: "Coupon codes",
  summary: "List a book's codes, newest first",
  description:
    "Filtered by `status`; `q` is a code prefix, and then the list is in code order. Page with `after` (the previous page's `nextCursor`: " +
    "as fast deep in a million-code book as on the first page) or with `offset`. Another business's book answers 404.",
  allow: BOOK_MANAGERS,
  params: CodeBookParams,
  query: ListCodesQuery,
  responses: { 200: { description: "One page of the book's codes", schema: CodesPageDto } },
  errors: ["BOOK_NOT_FOUND"],
});

export const generateCouponCodes = defineOperation({
  operationId: "generateCouponCodes",
  method: "POST",
  path: "/api/coupon-codes/generate",
  tag: "Coupon codes",
  summary: "Generate codes for a book from a pattern",
  description:
    "`SUMMER-{XXXX}`: `X` draws from 32 unambiguous letters and digits, `#` a digit, text outside braces is literal. " +
    "Exactly `quantity` new codes (at most GENERATE_MAX_QUANTITY, 1,000,000 by default, per call), all in one transaction (all or none), answered when they are in; large batches may rather start a " +
    "background run (POST /api/coupon-codes/generation-runs). The pattern's keyspace must be at least 100 times the codes the book would hold " +
    "(422 PATTERN_TOO_GUESSABLE). Only UNIQUE books take codes, and not once ARCHIVED or EXPIRED.",
  allow: BOOK_MANAGERS,
  body: GenerateCodesInput,
  idempotent: true,
  responses: { 200: { description: "The codes are in the book", schema: GenerateCodesResult } },
  errors: [...ADDING_CODES_ERRORS, "PATTERN_TOO_GUESSABLE"],
});

export const startCodeGenerationRun = defineOperation({
  operationId: "startCodeGenerationRun",
  method: "POST",
  path: "/api/coupon-codes/generation-runs",
  tag: "Coupon codes",
  summary: "Start generating codes in the background",
  description:
    "The checks of the synchronous generate, made now (a refused request leaves no run); the run is answered QUEUED and proceeds in chunks " +
    "that each commit their codes: poll GET /api/coupon-codes/generation-runs/{runId}. The same `requestKey` on the same book answers the run it " +
    "already started; with another pattern or quantity it is a 422.",
  allow: BOOK_MANAGERS,
  body: StartGenerationInput,
  idempotent: true,
  responses: { 202: { description: "The run, QUEUED (or the run this requestKey already started)", schema: GenerationRunDto } },
  errors: [...ADDING_CODES_ERRORS, "PATTERN_TOO_GUESSABLE"],
});

export const getCodeGenerationRun = defineOperation({
  operationId: "getCodeGenerationRun",
  method: "GET",
  path: "/api/coupon-codes/generation-runs/{runId}",
  tag: "Coupon codes",
  summary: "Get a background generation's progress",
  description: "A run of another business's book answers 404, like one that does not exist. Polling an unfinished run whose worker is gone resumes it.",
  allow: BOOK_MANAGERS,
  params: GenerationRunParams,
  responses: { 200: { description: "The run", schema: GenerationRunDto } },
  errors: ["NOT_FOUND"],
});

export const uploadCouponCodes = defineOperation({
  operationId: "uploadCouponCodes",
  method: "POST",
  path: "/api/coupon-codes/upload",
  tag: "Coupon codes",
  summary: "Upload codes from a CSV file",
  description:
    "A multipart form: `couponBookId` (or `?couponBookId=`), then `file`, a CSV of `code[,status]` rows (an optional header line; status " +
    "empty, valid or available adds an AVAILABLE code, disabled or invalid a DISABLED one). The file is streamed into one transaction: invalid " +
    "and duplicate rows are reported and skipped, a malformed or oversized body leaves nothing behind. Only UNIQUE books take codes, and not once " +
    "ARCHIVED or EXPIRED.",
  allow: BOOK_MANAGERS,
  query: UploadCodesQuery,
  idempotent: true,
  rawBody: {
    contentType: "multipart/form-data",
    description: "The book, then the CSV file: the file is never buffered, so the book must be known before it (or be given in the query)",
    schema: {
      type: "object",
      required: ["file"],
      properties: {
        couponBookId: { type: "string", format: "uuid", description: "The book to add the codes to; must come before `file` (or be given as `?couponBookId=`)" },
        file: { type: "string", contentMediaType: "text/csv", description: "`code[,status]` rows; at most UPLOAD_MAX_BYTES (a 413 names the limit)" },
      },
    },
  },
  responses: { 200: { description: "What the file added, and the rows it skipped", schema: UploadCodesResult } },
  errors: [...ADDING_CODES_ERRORS, "UNSUPPORTED_MEDIA_TYPE", "PAYLOAD_TOO_LARGE"],
});

export const couponCodeOperations = [listCouponCodes, generateCouponCodes, startCodeGenerationRun, getCodeGenerationRun, uploadCouponCodes];
