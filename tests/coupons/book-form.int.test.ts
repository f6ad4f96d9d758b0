import { eq } from "drizzle-orm";
import type { ResolverOptions } from "react-hook-form";
import { describe, expect, it } from "vitest";
import * as books from "@/app/api/coupon-books/route";
import { bookActionInput, bookFormResolver, type BookFormValues } from "@/lib/coupons/book-form";
import { BAD_BOOK_FORMS } from "@/testing/book-form-cases";
import { db } from "@/db/client";
import { codeGenerationRuns } from "@/db/schema";
import type { Actor } from "@/lib/auth/actor";
import { createBookServerAction, startCodeGenerationServerAction, updateBookServerAction } from "@/lib/seller-console/book-form-actions";
import { assignRandom } from "@/testing/coupon-api";
import { activeBook, businessWithKey } from "@/testing/fixtures";
import { call, testUserId } from "@/testing/http";

const options = { fields: {}, shouldUseNativeValidation: false } as ResolverOptions<BookFormValues>;

describe("POST /api/coupon-books refuses what the book form refuses, with the form's message", () => {
  it("answers 400 with the form's message on the form's field, for each bad form", async () => {
    const seller = await businessWithKey();
    for (const { name, values, field } of BAD_BOOK_FORMS) {
      const form = await bookFormResolver("create")(values, undefined, options);
      const formMessage = (form.errors as Record<string, { message?: string }>)[field]?.message;
      const response = await call(books.POST, { path: "/api/coupon-books", token: seller.token, body: bookActionInput(values) });
      expect(response.status, name).toBe(400);
      const details = response.body.details as { path: (string | number)[]; message: string }[];
      expect(details.find((issue) => issue.path.join(".") === field)?.message, name).toBe(formMessage);
      expect(formMessage, name).toBeTruthy();
    }
  });
});

describe("the seller console's book actions", () => {
  const meta = { ip: null, userAgent: null };

  it("create in the seller's own business whatever the input says; a limit below usage comes back on its field", async () => {
    const owner = await businessWithKey();
    const other = await businessWithKey();
    const seller: Actor = { kind: "user", role: "seller", userId: testUserId("seller-1"), businessId: owner.businessId };
    const created = await createBookServerAction.run({ actor: seller, meta }, { name: "Mine", discountType: "PERCENT", discountValue: 10, businessId: other.businessId });
    expect(created).toMatchObject({ ok: true, data: { businessId: owner.businessId, status: "DRAFT" } });

    const book = await activeBook(owner.businessId, { codes: 5, overrides: { maxCodesPerUser: 3 } });
    for (let i = 0; i < 2; i++) expect((await assignRandom({ token: owner.token }, { couponBookId: book.id, userId: "shopper-a" })).status).toBe(201);
    const lowered = await updateBookServerAction.run({ actor: seller, meta }, { bookId: book.id, changes: { maxCodesPerUser: 1 } });
    expect(lowered).toMatchObject({ ok: false, code: "LIMIT_BELOW_USAGE", fieldErrors: { maxCodesPerUser: "maxCodesPerUser cannot go below current usage (2)" } });
    expect(await updateBookServerAction.run({ actor: seller, meta }, { bookId: book.id, changes: { maxCodesPerUser: 2, name: "Renamed" } })).toMatchObject({
      ok: true,
      data: { name: "Renamed", maxCodesPerUser: 2 },
    });
  });

  it("starting a generation refuses a guessable pattern with the API's message and more than GENERATE_MAX_QUANTITY, on their fields", async () => {
    const owner = await businessWithKey();
    const seller: Actor = { kind: "user", role: "seller", userId: testUserId("seller-1"), businessId: owner.businessId };
    const book = await activeBook(owner.businessId, { codes: 0, overrides: { status: "DRAFT" } });
    expect(await startCodeGenerationServerAction.run({ actor: seller, meta }, { couponBookId: book.id, quantity: 500, pattern: "A-{X}" })).toMatchObject({
      ok: false,
      code: "PATTERN_TOO_GUESSABLE",
      error: "The pattern makes 32 codes; at least 50000 are required (100× the codes of the book)",
    });
    expect(await startCodeGenerationServerAction.run({ actor: seller, meta }, { couponBookId: book.id, quantity: 1_000_001, pattern: "A-{XXXXXXXX}" })).toMatchObject({
      ok: false,
      code: "VALIDATION_ERROR",
      fieldErrors: { quantity: "at most 1000000" },
    });
    expect(await db.select().from(codeGenerationRuns).where(eq(codeGenerationRuns.bookId, book.id))).toEqual([]);
  });
});
