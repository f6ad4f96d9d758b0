import { COUPON_USERS } from "@/lib/auth/actor";
import { AssignmentDto } from "@/lib/coupons/assignment-dto";
import { UserAssignmentsPage } from "@/lib/coupons/list-user-assignments";
import { CodeAssignmentInput, CodeParams, PageQuery, RandomAssignmentInput, UserParams } from "@/lib/coupons/schemas";
import { defineOperation } from "../operation";

/** Refusals of a book that cannot hand out codes now (lib/coupons/book-usability.ts). */
const BOOK_UNUSABLE_ERRORS = ["BOOK_NOT_ACTIVE", "BOOK_EXPIRED"] as const;

export const assignRandomCoupon = defineOperation({
  operationId: "assignRandomCoupon",
  method: "POST",
  path: "/api/assignments/random",
  tag: "Assignments",
  summary: "Give a user a random free code of a book",
  description:
    "A random AVAILABLE code of an ACTIVE, started book becomes the user's (ASSIGNED). Claims never lock the book, and parallel claims never hand out the same code. " +
    "A UNIQUE book's codes count against its `maxCodesPerUser` (409 MAX_CODES_PER_USER_REACHED); a book with no code left answers 409 NO_CODES_AVAILABLE. " +
    "A GENERIC book hands out its one public code, once per user (a second claim is 409 COUPON_ALREADY_ASSIGNED). Another business's book answers 404, like one that does not exist.",
  allow: COUPON_USERS,
  body: RandomAssignmentInput,
  responses: { 201: { description: "The new assignment", schema: AssignmentDto } },
  errors: ["BOOK_NOT_FOUND", ...BOOK_UNUSABLE_ERRORS, "MAX_CODES_PER_USER_REACHED", "NO_CODES_AVAILABLE", "COUPON_ALREADY_ASSIGNED"],
});

export const assignCouponCode = defineOperation({
  operationId: "assignCouponCode",
  method: "POST",
  path: "/api/assignments/{code}",
  tag: "Assignments",
  summary: "Give a user one named code",
  description:
    "The code, looked up in the caller's business (or the `businessId` named), becomes the user's. A UNIQUE code someone holds already answers 409 COUPON_ALREADY_ASSIGNED " +
    "(`assignedToThisUser` says whether it is this user), and counts against the book's `maxCodesPerUser`; a GENERIC book's public code gets one assignment per user. " +
    "The book must be ACTIVE and started, and a DISABLED code is 409 COUPON_DISABLED. Shoppers may claim only public (GENERIC) codes: any other code answers them 404, like an unknown one.",
  allow: COUPON_USERS,
  params: CodeParams,
  body: CodeAssignmentInput,
  takesCode: true,
  responses: { 201: { description: "The new assignment", schema: AssignmentDto } },
  errors: ["COUPON_NOT_FOUND", ...BOOK_UNUSABLE_ERRORS, "COUPON_DISABLED", "COUPON_ALREADY_ASSIGNED", "MAX_CODES_PER_USER_REACHED"],
});

export const listUserAssignments = defineOperation({
  operationId: "listUserAssignments",
  method: "GET",
  path: "/api/assignments/user/{userId}",
  tag: "Assignments",
  summary: "A user's coupons, newest first",
  description:
    "Every assignment of the user, in every state: a live lock shows its `lockedAt` and `lockedUntil`, a lapsed one reads as ASSIGNED. " +
    "API keys and sellers see their own business's; ops and internal callers every business's; a shopper only its own (another userId is a 403).",
  allow: COUPON_USERS,
  params: UserParams,
  query: PageQuery,
  responses: { 200: { description: "One page of the user's assignments", schema: UserAssignmentsPage } },
});

export const assignmentOperations = [assignRandomCoupon, assignCouponCode, listUserAssignments];
