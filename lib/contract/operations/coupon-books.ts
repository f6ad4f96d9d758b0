import { BOOK_MANAGERS } from "@/lib/auth/actor";
import { BookDto } from "@/lib/coupons/book-dto";
import { BookIdParams, CreateBookInput, ListBooksQuery, UpdateBookInput } from "@/lib/coupons/schemas";
import { defineOperation } from "../operation";
import { pageOf } from "@/lib/wire";

export const createCouponBook = defineOperation({
  operationId: "createCouponBook",
  method: "POST",
  path: "/api/coupon-books",
  tag: "Coupon books",
  summary: "Create a coupon book (DRAFT)",
  description: "A seller or API key creates books for its own business; ops and internal callers name the `businessId`. A GENERIC book takes its public `code` here.",
  allow: BOOK_MANAGERS,
  body: CreateBookInput,
  idempotent: true,
  responses: { 201: { description: "The new book, in DRAFT", schema: BookDto } },
  errors: ["NOT_FOUND"],
});

export const listCouponBooks = defineOperation({
  operationId: "listCouponBooks",
  method: "GET",
  path: "/api/coupon-books",
  tag: "Coupon books",
  summary: "List coupon books, newest first",
  allow: BOOK_MANAGERS,
  query: ListBooksQuery,
  responses: { 200: { description: "One page of the caller's books", schema: pageOf(BookDto) } },
});

export const getCouponBook = defineOperation({
  operationId: "getCouponBook",
  method: "GET",
  path: "/api/coupon-books/{id}",
  tag: "Coupon books",
  summary: "Get one coupon book",
  description: "Another business's book answers 404, like one that does not exist.",
  allow: BOOK_MANAGERS,
  params: BookIdParams,
  responses: { 200: { description: "The book", schema: BookDto } },
  errors: ["BOOK_NOT_FOUND"],
});

const updateDescription =
  "Partial: only the fields sent change. Limits may be raised, never lowered below what is already in use (409 LIMIT_BELOW_USAGE). " +
  "`status` moves the book along DRAFT → ACTIVE ⇄ PAUSED → ARCHIVED (seed 003's CLOSED is ARCHIVED): a UNIQUE book needs codes before it is activated, " +
  "and only ops may resume a book ops or the brute-force guard paused. Every change is audited.";
const updateErrors = ["BOOK_NOT_FOUND", "INVALID_STATUS_TRANSITION", "NO_CODES", "PAUSED_BY_OPS", "LIMIT_BELOW_USAGE"] as const;

export const updateCouponBook = defineOperation({
  operationId: "updateCouponBook",
  method: "PUT",
  path: "/api/coupon-books/{id}",
  tag: "Coupon books",
  summary: "Update a coupon book, status transitions included",
  description: updateDescription,
  allow: BOOK_MANAGERS,
  params: BookIdParams,
  body: UpdateBookInput,
  responses: { 200: { description: "The updated book", schema: BookDto } },
  errors: updateErrors,
});

export const patchCouponBook = defineOperation({
  operationId: "patchCouponBook",
  method: "PATCH",
  path: "/api/coupon-books/{id}",
  tag: "Coupon books",
  summary: "Update a coupon book (same as PUT)",
  description: `The same partial update as PUT. ${updateDescription}`,
  allow: BOOK_MANAGERS,
  params: BookIdParams,
  body: UpdateBookInput,
  responses: { 200: { description: "The updated book", schema: BookDto } },
  errors: updateErrors,
});

export const exportCouponBookCodes = defineOperation({
  operationId: "exportCouponBookCodes",
  method: "GET",
  path: "/api/coupon-books/{id}/codes.csv",
  tag: "Coupon books",
  summary: "Export a book's codes as CSV",
  description:
    "Every code of the book, newest first, as `code,status,created_at` rows under a header line (created_at in UTC with microseconds). " +
    "Streamed as it is read, so a million-code book starts at once; the book is checked before the first byte.",
  allow: BOOK_MANAGERS,
  params: BookIdParams,
  responses: {
    200: {
      description: "The CSV file",
      contentType: "text/csv",
      headers: { "Content-Disposition": "`attachment; filename=\"coupon-codes-<book id>.csv\"`" },
    },
  },
  errors: ["BOOK_NOT_FOUND"],
});

export const couponBookOperations = [createCouponBook, listCouponBooks, getCouponBook, updateCouponBook, patchCouponBook, exportCouponBookCodes];
