import { z } from "zod";
import { isoInstant, text } from "@/lib/validation";
import { BOOK_STATUSES } from "@/db/schema";

/** The book states, for pages and forms (which may not import the schema): defined once, in db/schema. */
export { BOOK_STATUSES };
import { pagination } from "@/lib/pagination";
import { money } from "@/lib/pricing/money";
import { Cart } from "@/lib/pricing/schemas";
import { CODE_FORMAT, normalizeCode } from "./codes";

const isoDate = isoInstant();
const futureDate = isoDate.refine((d) => d.getTime() > Date.now(), { message: "must be in the future" });
const codeInput = text()
  .max(200)
  .transform(normalizeCode)
  .pipe(text().regex(CODE_FORMAT, "must be 3–64 characters of A–Z, 0–9, '_' or '-'"));

/**
 * A book status as callers may spell it: any of ours, plus seed 003's CLOSED, which is our ARCHIVED.
 * Every status input (book updates, book and campaign filters, ops status changes) goes through it.
 */
export const bookStatusInput = z.enum([...BOOK_STATUSES, "CLOSED"]).transform((s) => (s === "CLOSED" ? "ARCHIVED" : s));

const bookFields = {
  name: text().trim().min(1).max(200),
  description: text().max(2000).nullish(),
  discountType: z.enum(["PERCENT", "FIXED", "FREE_SHIPPING"]),
  discountValue: money,
  currency: text().regex(/^[A-Z]{3}$/, "must be an ISO 4217 code such as USD"),
  minOrderAmount: money,
  maxDiscountAmount: money.positive().nullish(),
  maxCodesPerUser: z.number().int().min(1).max(1_000_000),
  maxRedeemsPerUser: z.number().int().min(1).max(1_000_000),
  maxTotalRedemptions: z.number().int().min(1).max(2_000_000_000).nullish(),
  budgetAmount: money.nullish(),
  totalCodesExpected: z.number().int().min(1).max(100_000_000).nullish(),
  codePrefix: text().max(64).transform(normalizeCode).pipe(text().regex(/^[A-Z0-9_-]{1,32}$/)).nullish(),
  validFrom: isoDate.nullish(),
  expiresAt: futureDate.nullish(),
  lockTtlSeconds: z.number().int().min(1).max(86_400),
  /** Shoppers may claim a code themselves on the store's offers page. */
  selfServiceClaim: z.boolean(),
};

export const CreateBookInput = z
  .object({
    businessId: text().uuid().optional(),
    codeKind: z.enum(["UNIQUE", "GENERIC"]).default("UNIQUE"),
    /** The public code of a GENERIC book (e.g. WELCOME10). */
    code: codeInput.optional(),
    ...bookFields,
    discountType: bookFields.discountType.default("FIXED"),
    discountValue: bookFields.discountValue.default(0),
    currency: bookFields.currency.default("USD"),
    minOrderAmount: bookFields.minOrderAmount.default(0),
    maxCodesPerUser: bookFields.maxCodesPerUser.default(1),
    maxRedeemsPerUser: bookFields.maxRedeemsPerUser.default(1),
    lockTtlSeconds: bookFields.lockTtlSeconds.default(300),
    selfServiceClaim: bookFields.selfServiceClaim.default(false),
  })
  .superRefine((book, ctx) => {
    if (book.codeKind === "GENERIC" && !book.code) {
      ctx.addIssue({ code: "custom", path: ["code"], message: "a GENERIC book needs its public code" });
    }
    if (book.codeKind === "UNIQUE" && book.code) {
      ctx.addIssue({ code: "custom", path: ["code"], message: "only GENERIC books take a code; generate or upload codes instead" });
    }
    checkDiscount(book, ctx);
    checkValidity(book, ctx);
  });
export type CreateBookInput = z.infer<typeof CreateBookInput>;

/** PUT and PATCH both take partial bodies (DESIGN §6); seed 003's CLOSED is our ARCHIVED. */
export const UpdateBookInput = z
  .object(bookFields)
  .partial()
  .extend({
    status: bookStatusInput.optional(),
  });
export type UpdateBookInput = z.infer<typeof UpdateBookInput>;

type DiscountShape = { discountType?: string; discountValue?: number };
function checkDiscount(book: DiscountShape, ctx: z.RefinementCtx) {
  if (book.discountType === "PERCENT" && (book.discountValue === undefined || book.discountValue < 1 || book.discountValue > 100)) {
    ctx.addIssue({ code: "custom", path: ["discountValue"], message: "a PERCENT discount is a whole percent from 1 to 100" });
  }
}

function checkValidity(book: { validFrom?: Date | null; expiresAt?: Date | null }, ctx: z.RefinementCtx) {
  if (book.validFrom && book.expiresAt && book.validFrom >= book.expiresAt) {
    ctx.addIssue({ code: "custom", path: ["validFrom"], message: "must be before the expiry date (expiresAt)" });
  }
}

export const ListBooksQuery = z.object({
  businessId: text().uuid().optional(),
  status: bookStatusInput.optional(),
  q: text().max(200).optional(),
  ...pagination,
});
export type ListBooksQuery = z.infer<typeof ListBooksQuery>;

export const BookIdParams = z.object({ id: text().uuid() });

export const GenerateCodesInput = z.object({
  couponBookId: text().uuid(),
  quantity: z.number().int().min(1),
  pattern: text().min(1).max(64).describe("e.g. `SUMMER-{XXXX}`: `X` a letter or digit of 32 unambiguous ones, `#` a digit, text outside braces literal"),
});
export type GenerateCodesInput = z.infer<typeof GenerateCodesInput>;
/** A background generation: the synchronous call's input, and a key that makes resubmitting it find the same run. */
export const StartGenerationInput = GenerateCodesInput.extend({
  requestKey: text().min(1).max(100).optional().describe("Resubmitting the same key for the same book answers the run it started instead of starting another"),
});
export type StartGenerationInput = z.infer<typeof StartGenerationInput>;
export const GenerationRunParams = z.object({ runId: text().uuid() });

export const ListCodesQuery = z.object({
  status: z.enum(["AVAILABLE", "ASSIGNED", "DISABLED"]).optional(),
  // The prefix search runs on the (business_id, code) index, hence code order.
  q: text().max(64).transform(normalizeCode).optional().describe("A code prefix, normalized like every code; the list is then in code order"),
  after: text().max(200).optional().describe("The `nextCursor` of the previous page: keyset paging, as fast on page 20,000 as on page 1 (offset is then ignored)"),
  ...pagination,
});
export type ListCodesQuery = z.infer<typeof ListCodesQuery>;
export const CodeBookParams = z.object({ bookId: text().uuid() });
/** The book of an upload may be named in the query instead of the form (which must send it before the file). */
export const UploadCodesQuery = z.object({ couponBookId: text().uuid().optional().describe("The book, when the form does not send it before the file") });

export const userIdSchema = text().trim().min(1).max(200);
/** Shoppers never name a user: the session does (DESIGN §6). */
const actingUser = userIdSchema.optional().describe("The shopper the call is for: required of every caller but a shopper session, which acts for itself (another userId is a 403)");
/** Codes are unique per business: callers without a business of their own name the code's. */
const codeBusiness = text().uuid().optional();
const sameBusiness = "API keys and sellers act for their own business (another one is a 403)";
export const RandomAssignmentInput = z.object({ couponBookId: text().uuid(), userId: actingUser });
export const CodeAssignmentInput = z.object({
  userId: actingUser,
  businessId: codeBusiness.describe(`The code's business: required of ops, internal callers and shoppers (claiming a public code); ${sameBusiness}`),
});
export const CodeParams = z.object({ code: text().min(1).max(200).transform(normalizeCode).describe("The coupon code, normalized (trimmed, upper-cased, whitespace removed) before lookup") });
export const UserParams = z.object({ userId: userIdSchema });
export const PageQuery = z.object(pagination);

export const externalId = text().trim().min(1).max(200);
export const CouponActionInput = z.object({
  userId: actingUser,
  checkoutId: externalId
    .optional()
    .describe("Lock: the checkout to hold the coupon for (the same one again answers its live lock unchanged; one is generated when absent). Unlock and redeem: a live lock is released or consumed only by its own checkout, or by a call naming none; a redeem repeated with the same checkoutId answers its first result"),
  orderId: externalId.optional().describe("Redeem: the order the use is recorded under; the same orderId again answers the first result without a second use"),
  businessId: codeBusiness.describe(`The code's business: required of ops and internal callers; a shopper session may name it to say where the code is from; ${sameBusiness}`),
  cart: Cart.optional().describe("Prices the discount (lock, or a redeem without a live lock); required by books with a budgetAmount"),
});
export type CouponActionInput = z.infer<typeof CouponActionInput>;

/** The windows of a book's charts and the bucket each is drawn in. */
export const BOOK_INSIGHT_WINDOWS = { "24h": { hours: 24, bucket: "hour" }, "7d": { hours: 24 * 7, bucket: "day" }, "30d": { hours: 24 * 30, bucket: "day" } } as const;
export const BookInsightsQuery = z.object({
  window: z.enum(Object.keys(BOOK_INSIGHT_WINDOWS) as [keyof typeof BOOK_INSIGHT_WINDOWS, ...(keyof typeof BOOK_INSIGHT_WINDOWS)[]]).catch("7d"),
});
export type BookInsightsQuery = z.infer<typeof BookInsightsQuery>;
