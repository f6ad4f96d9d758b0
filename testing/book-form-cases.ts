import { EMPTY_BOOK_FORM, type BookFormField, type BookFormValues } from "@/lib/coupons/book-form";

/**
 * Bad book forms, each with the field the API's schema blames: the form, the server action and the
 * route must refuse each one with the same message on that field (one schema).
 */
export const BAD_BOOK_FORMS: { name: string; values: BookFormValues; field: BookFormField }[] = [
  { name: "a PERCENT discount of 150", values: { ...EMPTY_BOOK_FORM, name: "Spring", discountType: "PERCENT", discountValue: "150" }, field: "discountValue" },
  { name: "a GENERIC book without its code", values: { ...EMPTY_BOOK_FORM, name: "Spring", codeKind: "GENERIC", discountValue: "10" }, field: "code" },
  {
    name: "a start after the expiry",
    values: { ...EMPTY_BOOK_FORM, name: "Spring", discountValue: "10", validFrom: "2031-02-01T10:00", expiresAt: "2031-01-01T10:00" },
    field: "validFrom",
  },
  { name: "an expiry in the past", values: { ...EMPTY_BOOK_FORM, name: "Spring", discountValue: "10", expiresAt: "2020-01-01T10:00" }, field: "expiresAt" },
  { name: "an empty name", values: { ...EMPTY_BOOK_FORM, name: "   ", discountValue: "10" }, field: "name" },
];
