import { zodResolver } from "@hookform/resolvers/zod";
import { describe, expect, it } from "vitest";
import { parseSellerSignUp, SellerSignUpInput, SIGN_UP_MESSAGES, type SellerSignUpField } from "./schemas";

type Values = { email: string; password: string; businessName: string };
const good: Values = { email: "owner@acme.test", password: "correct horse battery", businessName: "Acme" };

/** What the sign-up form shows: react-hook-form's zodResolver over the very schema object the server action parses with. */
async function formErrors(values: Values): Promise<Partial<Record<SellerSignUpField, string>>> {
  const resolver = zodResolver(SellerSignUpInput);
  const result = await resolver(values, undefined, { fields: {}, shouldUseNativeValidation: false });
  return Object.fromEntries(Object.entries(result.errors).map(([field, error]) => [field, (error as { message?: string }).message]));
}

/** What the server action answers for the same values. */
const serverErrors = (values: Values) => {
  const parsed = parseSellerSignUp(values);
  return parsed.success ? {} : parsed.fieldErrors;
};

describe("one schema for the sign-up form and the server action", () => {
  const cases: [string, Partial<Values>, Partial<Record<SellerSignUpField, string>>][] = [
    ["a 5-character password", { password: "12345" }, { password: SIGN_UP_MESSAGES.passwordTooShort }],
    ["a 201-character password", { password: "x".repeat(201) }, { password: SIGN_UP_MESSAGES.passwordTooLong }],
    ["a bad email", { email: "owner@" }, { email: SIGN_UP_MESSAGES.emailInvalid }],
    ["an email past 254 characters", { email: `${"a".repeat(250)}@acme.test` }, { email: SIGN_UP_MESSAGES.emailTooLong }],
    ["a one-letter business name (after trimming)", { businessName: "  A  " }, { businessName: SIGN_UP_MESSAGES.businessNameTooShort }],
    ["a NUL in the business name", { businessName: "Ac\u0000me" }, { businessName: "must not contain NUL characters or unpaired UTF-16 surrogates" }],
    [
      "everything wrong at once",
      { email: "nope", password: "short", businessName: "" },
      { email: SIGN_UP_MESSAGES.emailInvalid, password: SIGN_UP_MESSAGES.passwordTooShort, businessName: SIGN_UP_MESSAGES.businessNameTooShort },
    ],
  ];

  it.each(cases)("%s: the same message on the same field", async (_name, change, expected) => {
    const values = { ...good, ...change };
    expect(await formErrors(values)).toEqual(expected);
    expect(serverErrors(values)).toEqual(expected);
  });

  it("good input passes both, normalized the same way", async () => {
    const values = { email: "  Owner@ACME.test ", password: " spaces count ", businessName: "  Acme  " };
    const result = await zodResolver(SellerSignUpInput)(values, undefined, { fields: {}, shouldUseNativeValidation: false });
    const parsed = parseSellerSignUp(values);
    expect(result.errors).toEqual({});
    expect(parsed).toEqual({ success: true, data: { email: "owner@acme.test", password: " spaces count ", businessName: "Acme" } });
    expect(result.values).toEqual(parsed.success ? parsed.data : null);
  });
});
