import { BOOK_MANAGERS } from "@/lib/auth/actor";
import { BookDto } from "@/lib/coupons/book-dto";
import { CreateBookInput, ListBooksQuery } from "@/lib/coupons/schemas";
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

export const couponBookOperations = [createCouponBook, listCouponBooks];
