import type { ResolverOptions } from "react-hook-form";
import { describe, expect, it } from "vitest";
import type { Actor } from "@/lib/auth/actor";
import { BAD_BOOK_FORMS } from "@/testing/book-form-cases";
import { bookActionInput, bookFormResolver, bookFormValues, EMPTY_BOOK_FORM, previewPattern, toBookChanges, toMinorUnits, type BookFormValues } from "./book-form";
import { createBookServerAction } from "@/lib/seller-console/book-form-actions";
import type { BookDto } from "./book-dto";
import { CreateBookInput } from "./schemas";

const seller: Actor = { kind: "user", role: "seller", userId: "u-1", businessId: "00000000-0000-4000-8000-000000000001" };
const meta = { ip: null, userAgent: null };
const options = { fields: {}, shouldUseNativeValidation: false } as ResolverOptions<BookFormValues>;

async function formErrors(values: BookFormValues) {
  const result = await bookFormResolver("create")(values, undefined, options);
  return Object.fromEntries(Object.entries(result.errors).map(([field, error]) => [field, (error as { message?: string }).message]));
}

describe("the book form and the API refuse the same input with the same message (one schema)", () => {
  for (const { name, values, field } of BAD_BOOK_FORMS) {
    it(name, async () => {
      const form = await formErrors(values);
      expect(form[field]).toBeTruthy();

      // The route's validation: withRoute parses the body with CreateBookInput and answers its issues as details[].
      const parsed = CreateBookInput.safeParse(bookActionInput(values));
      expect(parsed.success).toBe(false);
      const routeMessage = parsed.error!.issues.find((issue) => issue.path.join(".") === field)?.message;
      expect(routeMessage).toBe(form[field]);

      // The server action the form calls: refused before any service runs, on the same field.
      const action = await createBookServerAction.run({ actor: seller, meta }, bookActionInput(values));
      expect(action).toMatchObject({ ok: false, code: "VALIDATION_ERROR" });
      expect(!action.ok && action.fieldErrors[field]).toBe(form[field]);
    });
  }

  it("accepts a good form and sends money in minor units, dates as ISO instants", async () => {
    const values = { ...EMPTY_BOOK_FORM, name: "Spring", discountType: "FIXED" as const, discountValue: "12.5", budgetAmount: "1000", expiresAt: "2031-01-01T10:00" };
    expect(await formErrors(values)).toEqual({});
    expect(bookActionInput(values)).toMatchObject({ discountValue: 1250, budgetAmount: 100_000, minOrderAmount: 0, expiresAt: new Date("2031-01-01T10:00").toISOString() });
    expect(CreateBookInput.safeParse(bookActionInput(values)).success).toBe(true);
  });

  it("says in its own words when a number field holds no number", async () => {
    const errors = await formErrors({ ...EMPTY_BOOK_FORM, name: "Spring", discountType: "FIXED", discountValue: "12.345", maxCodesPerUser: "two" });
    expect(errors).toMatchObject({ discountValue: "enter an amount in USD, such as 12.50", maxCodesPerUser: "enter a whole number" });
  });
});

describe("money and edits", () => {
  it("converts major units exactly, per currency", () => {
    expect(toMinorUnits("0.29", "USD")).toBe(29);
    expect(toMinorUnits("1234567.89", "EUR")).toBe(123_456_789);
    expect(toMinorUnits("500", "JPY")).toBe(500);
    expect(toMinorUnits("5.5", "JPY")).toBeUndefined();
    expect(toMinorUnits("-1", "USD")).toBeUndefined();
  });

  it("an edit sends only what changed, and clears an emptied limit", () => {
    const book = {
      name: "Summer",
      description: null,
      codeKind: "UNIQUE",
      code: null,
      discountType: "FIXED",
      discountValue: 500,
      currency: "USD",
      minOrderAmount: 0,
      maxDiscountAmount: null,
      maxCodesPerUser: 1,
      maxRedeemsPerUser: 1,
      maxTotalRedemptions: 100,
      budgetAmount: null,
      totalCodesExpected: null,
      validFrom: null,
      expiresAt: "2020-01-01T00:00:00.000Z",
      lockTtlSeconds: 300,
      selfServiceClaim: false,
    } as BookDto;
    const initial = bookFormValues(book);
    expect(initial.discountValue).toBe("5.00");
    expect(toBookChanges({ ...initial, name: "Summer sale", maxTotalRedemptions: "" }, initial).input).toEqual({ name: "Summer sale", maxTotalRedemptions: null });
    expect(toBookChanges({ ...initial, currency: "EUR" }, initial).input).toEqual({ currency: "EUR", discountValue: 500 });
    expect(toBookChanges({ ...initial, selfServiceClaim: true }, initial).input).toEqual({ selfServiceClaim: true });
  });

  it("carries the self-service setting: off by default, on when ticked, and the API's schema takes it", async () => {
    expect(bookActionInput({ ...EMPTY_BOOK_FORM, name: "Spring", discountValue: "10" })).toMatchObject({ selfServiceClaim: false });
    const ticked = { ...EMPTY_BOOK_FORM, name: "Spring", discountValue: "10", selfServiceClaim: true };
    expect(await formErrors(ticked)).toEqual({});
    expect(CreateBookInput.parse(bookActionInput(ticked))).toMatchObject({ selfServiceClaim: true });
    expect(bookFormValues({ selfServiceClaim: true, currency: "USD", discountType: "PERCENT", discountValue: 15 } as BookDto).selfServiceClaim).toBe(true);
  });
});

describe("the generate form's live preview", () => {
  it("samples codes and applies the API's keyspace rule and message", () => {
    const weak = previewPattern("A-{X}", { totalCodesExpected: null, generatedCount: 0 }, 500);
    expect(weak.keyspace).toMatchObject({ ok: false, message: "The pattern makes 32 codes; at least 50000 are required (100× the codes of the book)" });
    const strong = previewPattern("spring-{XXXX}", { totalCodesExpected: null, generatedCount: 0 }, 500);
    expect(strong.keyspace?.ok).toBe(true);
    expect(strong.samples).toHaveLength(5);
    for (const code of strong.samples) expect(code).toMatch(/^SPRING-[23456789A-HJ-NP-Z]{4}$/);
    expect(previewPattern("A-{X", { totalCodesExpected: null, generatedCount: 0 }, 1).error).toBe("Invalid pattern: unbalanced braces");
  });
});
