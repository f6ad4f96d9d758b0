"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useMemo, type ReactNode } from "react";
import { useForm, useWatch, type UseFormRegisterReturn } from "react-hook-form";
import { queryKeys } from "@/components/query-keys";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { FieldMessage, Input, Label, Select, Textarea } from "@/components/ui/field";
import { toast } from "@/components/ui/toaster";
import { bookActionInput, bookFormResolver, bookFormValues, EMPTY_BOOK_FORM, toBookChanges, type BookFormField, type BookFormValues } from "@/lib/coupons/book-form";

/** What the book actions answer (ActionResult of lib/http/server-action.ts, as far as the form reads it). */
type BookActionResult = { ok: true; data: { id: string; name: string } } | { ok: false; error: string; fieldErrors: Record<string, string> };

type Props =
  | { mode: "create"; action: (input: unknown) => Promise<BookActionResult> }
  /** The book as the page read it: the form converts it here, so dates show in the browser's time zone. */
  | { mode: "edit"; book: Parameters<typeof bookFormValues>[0]; action: (input: unknown) => Promise<BookActionResult> };

const FIELD_NAMES = new Set<string>([
  "name", "description", "codeKind", "code", "discountType", "discountValue", "currency", "minOrderAmount", "maxDiscountAmount",
  "maxCodesPerUser", "maxRedeemsPerUser", "maxTotalRedemptions", "budgetAmount", "totalCodesExpected", "validFrom", "expiresAt", "lockTtlSeconds", "selfServiceClaim",
]);

/** The form's text fields (selfServiceClaim is a checkbox). */
type TextField = Exclude<BookFormField, "selfServiceClaim">;

interface FieldProps {
  name: BookFormField;
  label: string;
  hint?: ReactNode;
  error?: string;
  children: (control: { id: string; "aria-invalid"?: true; "aria-describedby"?: string }) => ReactNode;
}

/** A labelled control with its hint and its error, wired for screen readers. */
function Field({ name, label, hint, error, children }: FieldProps) {
  const id = `book-${name}`;
  const described = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(" ");
  return (
    <div className="grid content-start gap-1">
      <Label htmlFor={id}>{label}</Label>
      {children({ id, "aria-invalid": error ? true : undefined, "aria-describedby": described || undefined })}
      {hint ? <FieldMessage id={`${id}-hint`}>{hint}</FieldMessage> : null}
      {error ? (
        <FieldMessage id={`${id}-error`} tone="error">
          {error}
        </FieldMessage>
      ) : null}
    </div>
  );
}

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <fieldset className="grid gap-4 rounded-lg border border-line bg-white p-4 sm:grid-cols-2 sm:p-6">
      <legend className="px-1 text-base font-semibold">{title}</legend>
      {children}
    </fieldset>
  );
}

/**
 * One form to create and to edit a coupon book. It validates with the API's own schema
 * (CreateBookInput / UpdateBookInput, through bookFormResolver), sends the API's input to the server
 * action, and puts the server's refusals (limits below usage, a taken code) on their fields.
 */
export function BookForm(props: Props) {
  const { mode, action } = props;
  const book = props.mode === "edit" ? props.book : null;
  const router = useRouter();
  const queryClient = useQueryClient();
  const initial = useMemo(() => (book ? bookFormValues(book) : EMPTY_BOOK_FORM), [book]);
  const resolver = useMemo(() => (mode === "create" ? bookFormResolver("create") : bookFormResolver("edit", initial)), [mode, initial]);
  const {
    register,
    handleSubmit,
    setError,
    control: formControl,
    formState: { errors, isSubmitting },
  } = useForm<BookFormValues>({ resolver, defaultValues: initial });

  const [codeKind, discountType, typedCurrency] = useWatch({ control: formControl, name: ["codeKind", "discountType", "currency"] });
  const currency = typedCurrency.trim().toUpperCase() || "USD";

  const onSubmit = handleSubmit(async (values) => {
    const result =
      props.mode === "create" ? await action(bookActionInput(values)) : await action({ bookId: props.book.id, changes: toBookChanges(values, initial).input });
    if (result.ok) {
      await queryClient.invalidateQueries({ queryKey: queryKeys.books.all });
      toast.success(mode === "create" ? `Book “${result.data.name}” created` : "Changes saved");
      router.push(`/seller/books/${result.data.id}`);
      router.refresh();
      return;
    }
    let focused = false;
    for (const [path, message] of Object.entries(result.fieldErrors)) {
      const field = path.replace(/^changes\./, "");
      if (!FIELD_NAMES.has(field)) continue;
      setError(field as BookFormField, { type: "server", message }, { shouldFocus: !focused });
      focused = true;
    }
    setError("root.server", { type: "server", message: result.error });
  });

  const error = (name: BookFormField) => errors[name]?.message;
  // defaultValue too, so the server-rendered first paint shows the book (register fills fields only once hydrated).
  const control = (name: TextField): UseFormRegisterReturn & { defaultValue: string } => ({ ...register(name), defaultValue: initial[name] });
  const formError = errors.root?.server?.message;
  const money = `in ${currency}, e.g. 12.50`;

  return (
    <form onSubmit={onSubmit} className="grid gap-6" noValidate aria-label={mode === "create" ? "New coupon book" : "Edit coupon book"}>
      {formError ? <Alert>{formError}</Alert> : null}

      <Section title="Book">
        <div className="sm:col-span-2">
          <Field name="name" label="Name" error={error("name")}>
            {(a11y) => <Input {...a11y} autoComplete="off" {...control("name")} />}
          </Field>
        </div>
        <div className="sm:col-span-2">
          <Field name="description" label="Description (optional)" error={error("description")}>
            {(a11y) => <Textarea {...a11y} rows={2} {...control("description")} />}
          </Field>
        </div>
        {mode === "create" ? (
          <>
            <Field name="codeKind" label="Codes" hint="Unique: one code per shopper, generated or uploaded. Generic: one public code everybody types." error={error("codeKind")}>
              {(a11y) => (
                <Select {...a11y} {...control("codeKind")}>
                  <option value="UNIQUE">Unique codes</option>
                  <option value="GENERIC">One generic code</option>
                </Select>
              )}
            </Field>
            {codeKind === "GENERIC" ? (
              <Field name="code" label="Public code" hint="3–64 of A–Z, 0–9, _ or -, such as WELCOME10" error={error("code")}>
                {(a11y) => <Input {...a11y} autoComplete="off" autoCapitalize="characters" spellCheck={false} {...control("code")} />}
              </Field>
            ) : null}
          </>
        ) : (
          <p className="text-sm text-muted sm:col-span-2">
            {initial.codeKind === "GENERIC" ? (
              <>
                One generic code: <code>{initial.code}</code> (the kind and the code cannot change).
              </>
            ) : (
              "Unique codes (the kind cannot change)."
            )}
          </p>
        )}
        <div className="sm:col-span-2">
          <div className="flex items-start gap-3">
            <input
              id="book-selfServiceClaim"
              type="checkbox"
              className="mt-0.5 size-5 shrink-0 accent-accent"
              aria-describedby={["book-selfServiceClaim-hint", error("selfServiceClaim") ? "book-selfServiceClaim-error" : null].filter(Boolean).join(" ")}
              aria-invalid={error("selfServiceClaim") ? true : undefined}
              defaultChecked={initial.selfServiceClaim}
              {...register("selfServiceClaim")}
            />
            <div className="min-w-0">
              <Label htmlFor="book-selfServiceClaim">Shoppers can claim codes on the offers page</Label>
              <FieldMessage id="book-selfServiceClaim-hint">
                While the book is active, signed-in shoppers may take a code themselves, up to the codes-per-shopper limit. Off: codes reach shoppers only through you or your API.
              </FieldMessage>
              {error("selfServiceClaim") ? (
                <FieldMessage id="book-selfServiceClaim-error" tone="error">
                  {error("selfServiceClaim")}
                </FieldMessage>
              ) : null}
            </div>
          </div>
        </div>
      </Section>

      <Section title="Discount">
        <Field name="discountType" label="Discount type" error={error("discountType")}>
          {(a11y) => (
            <Select {...a11y} {...control("discountType")}>
              <option value="PERCENT">Percent off</option>
              <option value="FIXED">Fixed amount off</option>
              <option value="FREE_SHIPPING">Free shipping</option>
            </Select>
          )}
        </Field>
        {discountType === "FREE_SHIPPING" ? (
          <p className="self-end text-sm text-muted">Free shipping takes no value.</p>
        ) : (
          <Field
            name="discountValue"
            label={discountType === "PERCENT" ? "Percent off" : "Amount off"}
            hint={discountType === "PERCENT" ? "A whole percent from 1 to 100" : money}
            error={error("discountValue")}
          >
            {(a11y) => <Input {...a11y} inputMode={discountType === "PERCENT" ? "numeric" : "decimal"} autoComplete="off" {...control("discountValue")} />}
          </Field>
        )}
        <Field name="currency" label="Currency" hint="ISO 4217 code, such as USD or EUR" error={error("currency")}>
          {(a11y) => <Input {...a11y} maxLength={3} autoComplete="off" autoCapitalize="characters" spellCheck={false} {...control("currency")} />}
        </Field>
        <Field name="minOrderAmount" label="Minimum order" hint={`${money}; 0 for none`} error={error("minOrderAmount")}>
          {(a11y) => <Input {...a11y} inputMode="decimal" autoComplete="off" {...control("minOrderAmount")} />}
        </Field>
        <Field name="maxDiscountAmount" label="Largest discount per order (optional)" hint={`${money}; empty for no cap`} error={error("maxDiscountAmount")}>
          {(a11y) => <Input {...a11y} inputMode="decimal" autoComplete="off" {...control("maxDiscountAmount")} />}
        </Field>
      </Section>

      <Section title="Limits">
        <Field name="maxCodesPerUser" label="Codes per shopper" error={error("maxCodesPerUser")}>
          {(a11y) => <Input {...a11y} inputMode="numeric" autoComplete="off" {...control("maxCodesPerUser")} />}
        </Field>
        <Field name="maxRedeemsPerUser" label="Uses per code" hint="How many orders one assigned code may discount" error={error("maxRedeemsPerUser")}>
          {(a11y) => <Input {...a11y} inputMode="numeric" autoComplete="off" {...control("maxRedeemsPerUser")} />}
        </Field>
        <Field name="maxTotalRedemptions" label="Total uses cap (optional)" hint="Empty for no cap" error={error("maxTotalRedemptions")}>
          {(a11y) => <Input {...a11y} inputMode="numeric" autoComplete="off" {...control("maxTotalRedemptions")} />}
        </Field>
        <Field name="budgetAmount" label="Budget (optional)" hint={`Total discount you fund, ${money}; empty for none`} error={error("budgetAmount")}>
          {(a11y) => <Input {...a11y} inputMode="decimal" autoComplete="off" {...control("budgetAmount")} />}
        </Field>
        <Field name="totalCodesExpected" label="Codes expected in total (optional)" hint="Sizes the keyspace check when you generate codes" error={error("totalCodesExpected")}>
          {(a11y) => <Input {...a11y} inputMode="numeric" autoComplete="off" {...control("totalCodesExpected")} />}
        </Field>
        {mode === "edit" ? <p className="self-end text-sm text-muted">Limits may be raised at any time, never lowered below what is already in use.</p> : null}
      </Section>

      <Section title="Validity">
        <Field name="validFrom" label="Valid from (optional)" hint="Your local time" error={error("validFrom")}>
          {(a11y) => <Input {...a11y} type="datetime-local" {...control("validFrom")} />}
        </Field>
        <Field name="expiresAt" label="Expires (optional)" hint="Your local time; must be in the future" error={error("expiresAt")}>
          {(a11y) => <Input {...a11y} type="datetime-local" {...control("expiresAt")} />}
        </Field>
        <Field name="lockTtlSeconds" label="Checkout hold (seconds)" hint="How long a checkout holds a code: 1 to 86,400" error={error("lockTtlSeconds")}>
          {(a11y) => <Input {...a11y} inputMode="numeric" autoComplete="off" {...control("lockTtlSeconds")} />}
        </Field>
      </Section>

      <div className="flex flex-wrap gap-3">
        <Button type="submit" pending={isSubmitting}>
          {mode === "create" ? (isSubmitting ? "Creating…" : "Create book") : isSubmitting ? "Saving…" : "Save changes"}
        </Button>
      </div>
    </form>
  );
}
