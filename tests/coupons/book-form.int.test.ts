import type { ResolverOptions } from "react-hook-form";
import { describe, expect, it } from "vitest";
import * as books from "@/app/api/coupon-books/route";
import { bookActionInput, bookFormResolver, type BookFormValues } from "@/lib/coupons/book-form";
import { BAD_BOOK_FORMS } from "@/testing/book-form-cases";
import { businessWithKey } from "@/testing/fixtures";
import { call } from "@/testing/http";

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
