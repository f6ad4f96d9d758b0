import { zodResolver } from "@hookform/resolvers/zod";
import type { FieldErrors, Resolver } from "react-hook-form";
import { z } from "zod";
import type { BookDto } from "./book-dto";
import { checkKeyspace, fillPattern, parsePattern, PatternError, type KeyspaceCheck } from "./pattern";
import { CreateBookInput, GenerateCodesInput, UpdateBookInput } from "./schemas";

/*
 * The seller's book and generate forms, as pure functions the browser bundle imports: what people
 * type (strings, money in major units, local date-times) becomes the API's own input, and is
 * validated by the API's own schema objects, so the form and the API refuse with the same message.
 */

/** What the book form holds: every field as typed (a money field in major units, e.g. "12.50"). */
export interface BookFormValues {
  name: string;
  description: string;
  codeKind: "UNIQUE" | "GENERIC";
  code: string;
  discountType: "PERCENT" | "FIXED" | "FREE_SHIPPING";
  /** PERCENT: a whole percent; FIXED: an amount in major units. */
  discountValue: string;
  currency: string;
  minOrderAmount: string;
  maxDiscountAmount: string;
  maxCodesPerUser: string;
  maxRedeemsPerUser: string;
  maxTotalRedemptions: string;
  budgetAmount: string;
  totalCodesExpected: string;
  /** `<input type="datetime-local">` values, in the browser's time zone. */
  validFrom: string;
  expiresAt: string;
  lockTtlSeconds: string;
  /** Shoppers may claim a code themselves on the shop's offers page (a checkbox). */
  selfServiceClaim: boolean;
}

export type BookFormField = keyof BookFormValues;
export type BookFormMode = "create" | "edit";

/** The edit action's input: which book, and the API's partial update of it. */
export const UpdateBookFormInput = z.object({ bookId: GenerateCodesInput.shape.couponBookId, changes: UpdateBookInput });
export type UpdateBookFormInput = z.infer<typeof UpdateBookFormInput>;

const MONEY_FIELDS = ["minOrderAmount", "maxDiscountAmount", "budgetAmount"] as const;
const INTEGER_FIELDS = ["maxCodesPerUser", "maxRedeemsPerUser", "maxTotalRedemptions", "totalCodesExpected", "lockTtlSeconds"] as const;
const DATE_FIELDS = ["validFrom", "expiresAt"] as const;
/** Limits a book may go without: an empty field means none (null clears it on edit). */
const NULLABLE_FIELDS = new Set<BookFormField>(["description", "maxDiscountAmount", "maxTotalRedemptions", "budgetAmount", "totalCodesExpected", "validFrom", "expiresAt"]);

/** Digits after the decimal point of a currency's major unit (USD 2, JPY 0); 2 when unknown. */
export function currencyDecimals(currency: string): number {
  try {
    return new Intl.NumberFormat("en-US", { style: "currency", currency }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    return 2;
  }
}

/** "12.5" → 1250 minor units, exactly (no float arithmetic); undefined when it is not an amount. */
export function toMinorUnits(major: string, currency: string): number | undefined {
  const decimals = currencyDecimals(currency);
  const match = /^(\d+)(?:\.(\d*))?$/.exec(major.trim());
  if (!match || (match[2] ?? "").length > decimals) return undefined;
  const [, whole, fraction = ""] = match;
  return Number(whole) * 10 ** decimals + Number(fraction.padEnd(decimals, "0") || "0");
}

export function toMajorUnits(minor: number, currency: string): string {
  const decimals = currencyDecimals(currency);
  return (minor / 10 ** decimals).toFixed(decimals);
}

const NOT_A_NUMBER = "enter a whole number";
const notAnAmount = (currency: string) => {
  const decimals = currencyDecimals(currency);
  return decimals === 0 ? `enter an amount in ${currency}, such as 12` : `enter an amount in ${currency}, such as 12.${"5".padEnd(decimals, "0")}`;
};

/** A local date-time as the API's ISO instant; what is not a date goes through for the schema to refuse. */
function toIso(local: string): string {
  const date = new Date(local);
  return Number.isNaN(date.getTime()) ? local : date.toISOString();
}

/** An ISO instant as a `datetime-local` value in this runtime's time zone. */
function toLocalInput(iso: string | null): string {
  if (!iso) return "";
  const date = new Date(iso);
  const local = new Date(date.getTime() - date.getTimezoneOffset() * 60_000);
  return local.toISOString().slice(0, 16);
}

interface Converted {
  /** The API's input, before its schema (which transforms dates and codes) has run. */
  input: Record<string, unknown>;
  /** Fields whose text is not a number at all: the form says so in its own words. */
  unreadable: Partial<Record<BookFormField, string>>;
}

/** The form's values as the API's book input (create: every field; edit: see toBookChanges). */
export function toBookInput(values: BookFormValues, mode: BookFormMode): Converted {
  const input: Record<string, unknown> = {};
  const unreadable: Converted["unreadable"] = {};
  const currency = values.currency.trim().toUpperCase();
  const empty = (field: BookFormField) => (mode === "edit" && NULLABLE_FIELDS.has(field) ? null : undefined);

  input.name = values.name;
  input.description = values.description.trim() === "" ? empty("description") : values.description;
  if (mode === "create") {
    input.codeKind = values.codeKind;
    if (values.code.trim() !== "") input.code = values.code;
  }
  input.discountType = values.discountType;
  input.currency = currency;
  input.selfServiceClaim = values.selfServiceClaim;
  const discount = values.discountValue.trim();
  if (values.discountType === "FREE_SHIPPING") input.discountValue = 0;
  else if (values.discountType === "PERCENT") {
    if (discount === "" || /^\d+$/.test(discount)) input.discountValue = discount === "" ? undefined : Number(discount);
    else unreadable.discountValue = NOT_A_NUMBER;
  } else if (discount !== "") {
    input.discountValue = toMinorUnits(discount, currency);
    if (input.discountValue === undefined) unreadable.discountValue = notAnAmount(currency);
  }
  for (const field of MONEY_FIELDS) {
    const text = values[field].trim();
    if (text === "") input[field] = empty(field);
    else {
      input[field] = toMinorUnits(text, currency);
      if (input[field] === undefined) unreadable[field] = notAnAmount(currency);
    }
  }
  for (const field of INTEGER_FIELDS) {
    const text = values[field].trim();
    if (text === "") input[field] = empty(field);
    else if (/^\d+$/.test(text)) input[field] = Number(text);
    else unreadable[field] = NOT_A_NUMBER;
  }
  for (const field of DATE_FIELDS) {
    const text = values[field].trim();
    input[field] = text === "" ? empty(field) : toIso(text);
  }
  for (const key of Object.keys(input)) if (input[key] === undefined) delete input[key];
  return { input, unreadable };
}

/**
 * The edit form's changes: only the fields the seller changed (a PUT with the book's past expiry
 * would be refused, and limits left alone must not be re-checked against usage).
 */
export function toBookChanges(values: BookFormValues, initial: BookFormValues): Converted {
  const current = toBookInput(values, "edit");
  const before = toBookInput(initial, "edit").input;
  const changes: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(current.input)) {
    // The discount's meaning depends on its type and currency: send it again when either changed.
    const discountTerms = key === "discountValue" && (values.discountType !== initial.discountType || values.currency !== initial.currency);
    if (discountTerms || JSON.stringify(value) !== JSON.stringify(before[key])) changes[key] = value;
  }
  return { input: changes, unreadable: current.unreadable };
}

/** The form prefilled from a book (edit), in major units and local date-times. */
export function bookFormValues(book: BookDto): BookFormValues {
  const amount = (minor: number | null) => (minor === null ? "" : toMajorUnits(minor, book.currency));
  const count = (n: number | null) => (n === null ? "" : String(n));
  return {
    name: book.name,
    description: book.description ?? "",
    codeKind: book.codeKind,
    code: book.code ?? "",
    discountType: book.discountType,
    discountValue: book.discountType === "FIXED" ? amount(book.discountValue) : book.discountType === "PERCENT" ? String(book.discountValue) : "",
    currency: book.currency,
    minOrderAmount: amount(book.minOrderAmount),
    maxDiscountAmount: amount(book.maxDiscountAmount),
    maxCodesPerUser: count(book.maxCodesPerUser),
    maxRedeemsPerUser: count(book.maxRedeemsPerUser),
    maxTotalRedemptions: count(book.maxTotalRedemptions),
    budgetAmount: amount(book.budgetAmount),
    totalCodesExpected: count(book.totalCodesExpected),
    validFrom: toLocalInput(book.validFrom),
    expiresAt: toLocalInput(book.expiresAt),
    lockTtlSeconds: count(book.lockTtlSeconds),
    selfServiceClaim: book.selfServiceClaim,
  };
}

/** A new book's form: the API's defaults. */
export const EMPTY_BOOK_FORM: BookFormValues = {
  name: "",
  description: "",
  codeKind: "UNIQUE",
  code: "",
  discountType: "PERCENT",
  discountValue: "",
  currency: "USD",
  minOrderAmount: "0.00",
  maxDiscountAmount: "",
  maxCodesPerUser: "1",
  maxRedeemsPerUser: "1",
  maxTotalRedemptions: "",
  budgetAmount: "",
  totalCodesExpected: "",
  validFrom: "",
  expiresAt: "",
  lockTtlSeconds: "300",
  selfServiceClaim: false,
};

/**
 * The book form's resolver: the values converted to the API's input, then the API's own schema
 * (CreateBookInput to create, UpdateBookInput to edit) through zodResolver. Its errors carry the
 * schema's messages on the API's field names, which are the form's field names.
 */
export function bookFormResolver(mode: "create"): Resolver<BookFormValues>;
export function bookFormResolver(mode: "edit", initial: BookFormValues): Resolver<BookFormValues>;
export function bookFormResolver(mode: BookFormMode, initial?: BookFormValues): Resolver<BookFormValues> {
  const resolve = mode === "create" ? zodResolver(CreateBookInput) : zodResolver(UpdateBookInput);
  return async (values, context, options) => {
    const { input, unreadable } = mode === "create" ? toBookInput(values, "create") : toBookChanges(values, initial!);
    const result = await (resolve as unknown as Resolver<Record<string, unknown>>)(input, context, options as never);
    const errors = { ...result.errors } as FieldErrors<BookFormValues>;
    for (const [field, message] of Object.entries(unreadable)) errors[field as BookFormField] = { type: "format", message };
    if (Object.keys(errors).length > 0) return { values: {}, errors };
    return { values, errors: {} };
  };
}

/** The API's input of the form's values, as the server action receives it. */
export const bookActionInput = (values: BookFormValues) => toBookInput(values, "create").input;

export interface PatternPreview {
  /** The pattern's own problem (unbalanced braces…), worded as the API words it. */
  error?: string;
  samples: string[];
  keyspace?: KeyspaceCheck;
}

/**
 * The generate form's live preview: sample codes and the keyspace rule, from the same functions
 * the API runs (parsePattern, fillPattern, checkKeyspace).
 */
export function previewPattern(pattern: string, book: { totalCodesExpected: number | null; generatedCount: number }, quantity: number, samples = 5): PatternPreview {
  let parsed;
  try {
    parsed = parsePattern(pattern);
  } catch (error) {
    if (error instanceof PatternError) return { error: `Invalid pattern: ${error.message}`, samples: [] };
    throw error;
  }
  const count = Number.isInteger(quantity) && quantity > 0 ? quantity : 1;
  return { samples: fillPattern(parsed, samples), keyspace: checkKeyspace(parsed.keyspace, book, count) };
}
