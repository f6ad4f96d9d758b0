"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState, useTransition, type ReactNode } from "react";
import { useForm, useWatch } from "react-hook-form";
import { queryKeys } from "@/components/query-keys";
import { Alert } from "@/components/ui/alert";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { FieldMessage, Input, Label } from "@/components/ui/field";
import { ResponsiveTable, TBody, Td, Th, THead, Tr } from "@/components/ui/table";
import { toast } from "@/components/ui/toaster";
import type { ConsoleCodeDto } from "@/lib/coupons/list-codes";
import type { ActionResult } from "@/lib/http/server-action";
import type { CodesChangeResult } from "@/lib/ops/campaign-codes";
import { AssignFormInput, type AssignFormValues } from "@/lib/seller-codes/schemas";
import { utcMinute } from "@/components/format";

type Action<T> = (input: unknown) => Promise<ActionResult<T>>;
type Assigned = { code: string };

const STATUS_TONE: Record<ConsoleCodeDto["status"], BadgeTone> = { AVAILABLE: "success", ASSIGNED: "info", DISABLED: "neutral" };

const countsMessage = (r: CodesChangeResult) => `${r.updated} updated · ${r.unchanged} unchanged · ${r.notFound.count} not found`;

/**
 * One page of a book's codes: select codes to disable or enable them, and hand a code to a shopper.
 * Every change goes through a server action (the API's services and rules) and then refreshes the
 * server-rendered page, so the table, the counts and the book's funnel show the database's answer.
 */
export function CodesTable({
  bookId,
  codes,
  disableCodes,
  enableCodes,
  assignRandom,
  assignCode,
  pager,
}: {
  bookId: string;
  /** The page links, under the table. */
  pager?: ReactNode;
  codes: ConsoleCodeDto[];
  disableCodes: Action<CodesChangeResult>;
  enableCodes: Action<CodesChangeResult>;
  assignRandom: Action<Assigned>;
  assignCode: Action<Assigned>;
}) {
  const router = useRouter();
  const queryClient = useQueryClient();
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [pending, setPending] = useState<"disable" | "enable" | null>(null);
  const [, startTransition] = useTransition();
  // Only codes still on this page count: a refresh or a new page drops the others.
  const onPage = codes.filter((c) => selected.has(c.code)).map((c) => c.code);
  const allSelected = codes.length > 0 && onPage.length === codes.length;

  const refresh = () => {
    void queryClient.invalidateQueries({ queryKey: queryKeys.books.detail(bookId) });
    startTransition(() => router.refresh());
  };

  async function change(kind: "disable" | "enable") {
    setPending(kind);
    try {
      const result = await (kind === "disable" ? disableCodes : enableCodes)({ bookId, codes: onPage });
      if (result.ok) {
        toast.success(`${kind === "disable" ? "Disabled" : "Enabled"}: ${countsMessage(result.data)}`);
        setSelected(new Set());
        refresh();
      } else {
        toast.error(result.error);
      }
    } finally {
      setPending(null);
    }
  }

  const toggle = (code: string, on: boolean) =>
    setSelected((current) => {
      const next = new Set(current);
      if (on) next.add(code);
      else next.delete(code);
      return next;
    });

  return (
    <div className="grid grid-cols-1 gap-8">
      {codes.length > 0 ? (
        <section aria-labelledby="codes-list" className="min-w-0">
          <h2 id="codes-list" className="sr-only">
            Codes on this page
          </h2>
          <div className="mb-3 flex flex-wrap items-center gap-2">
            <span className="text-sm text-muted" aria-live="polite">
              {onPage.length} selected
            </span>
            <Button variant="secondary" size="sm" disabled={onPage.length === 0 || pending !== null} pending={pending === "disable"} onClick={() => change("disable")}>
              Disable selected
            </Button>
            <Button variant="secondary" size="sm" disabled={onPage.length === 0 || pending !== null} pending={pending === "enable"} onClick={() => change("enable")}>
              Enable selected
            </Button>
          </div>
          <ResponsiveTable label="Codes">
            <THead>
              <Tr>
                <Th>
                  <input
                    type="checkbox"
                    aria-label="Select all on this page"
                    className="size-4"
                    checked={allSelected}
                    onChange={(event) => setSelected(event.target.checked ? new Set(codes.map((c) => c.code)) : new Set())}
                  />
                </Th>
                <Th>Code</Th>
                <Th>Status</Th>
                <Th>Holder</Th>
                <Th>Created</Th>
              </Tr>
            </THead>
            <TBody>
              {codes.map((row) => (
                <Tr key={row.id}>
                  <Td>
                    <input type="checkbox" aria-label={`Select ${row.code}`} className="size-4" checked={selected.has(row.code)} onChange={(event) => toggle(row.code, event.target.checked)} />
                  </Td>
                  <Td>
                    <code>{row.code}</code>
                  </Td>
                  <Td>
                    <Badge tone={STATUS_TONE[row.status]}>{row.status}</Badge>
                  </Td>
                  <Td className="break-all">{row.holder ?? (row.isAssigned ? "Several shoppers" : "—")}</Td>
                  <Td className="whitespace-nowrap">{utcMinute(row.createdAt)}</Td>
                </Tr>
              ))}
            </TBody>
          </ResponsiveTable>
          {pager}
        </section>
      ) : null}

      <AssignPanel bookId={bookId} assignRandom={assignRandom} assignCode={assignCode} onAssigned={refresh} />
    </div>
  );
}

function AssignPanel({ bookId, assignRandom, assignCode, onAssigned }: { bookId: string; assignRandom: Action<Assigned>; assignCode: Action<Assigned>; onAssigned: () => void }) {
  const [outcome, setOutcome] = useState<{ ok: true; code: string; userId: string } | { ok: false; message: string } | null>(null);
  const form = useForm<AssignFormValues>({ resolver: zodResolver(AssignFormInput), defaultValues: { mode: "random", userId: "", code: "" } });
  const mode = useWatch({ control: form.control, name: "mode" });
  const { errors, isSubmitting } = form.formState;

  const submit = form.handleSubmit(async (values) => {
    setOutcome(null);
    const result =
      values.mode === "random"
        ? await assignRandom({ couponBookId: bookId, userId: values.userId })
        : await assignCode({ bookId, code: values.code, userId: values.userId });
    if (result.ok) {
      setOutcome({ ok: true, code: result.data.code, userId: values.userId.trim() });
      onAssigned();
      return;
    }
    for (const [field, message] of Object.entries(result.fieldErrors)) {
      if (field === "userId" || field === "code") form.setError(field, { message });
    }
    setOutcome({ ok: false, message: `${result.error} (${result.code})` });
  });

  return (
    <section aria-labelledby="assign-code" className="rounded-lg border border-line p-4">
      <h2 id="assign-code" className="mb-3 text-lg font-semibold">
        Assign a code
      </h2>
      <form onSubmit={submit} noValidate className="grid max-w-lg gap-4">
        <div>
          <Label htmlFor="assign-user">Shopper&apos;s user id</Label>
          <Input id="assign-user" autoComplete="off" aria-invalid={errors.userId ? true : undefined} aria-describedby={errors.userId ? "assign-user-error" : undefined} {...form.register("userId")} />
          {errors.userId ? (
            <FieldMessage id="assign-user-error" tone="error">
              {errors.userId.message}
            </FieldMessage>
          ) : null}
        </div>
        <fieldset className="grid gap-2">
          <legend className="mb-1 text-sm font-medium">Which code</legend>
          <label className="flex items-center gap-2 text-sm">
            <input type="radio" value="random" className="size-4" {...form.register("mode")} /> A random available code
          </label>
          <label className="flex items-center gap-2 text-sm">
            <input type="radio" value="code" className="size-4" {...form.register("mode")} /> This code
          </label>
          {mode === "code" ? (
            <div>
              <Label htmlFor="assign-code-input">Code</Label>
              <Input id="assign-code-input" autoComplete="off" aria-invalid={errors.code ? true : undefined} aria-describedby={errors.code ? "assign-code-error" : undefined} {...form.register("code")} />
              {errors.code ? (
                <FieldMessage id="assign-code-error" tone="error">
                  {errors.code.message}
                </FieldMessage>
              ) : null}
            </div>
          ) : null}
        </fieldset>
        <div>
          <Button type="submit" pending={isSubmitting}>
            Assign
          </Button>
        </div>
        <div aria-live="polite">
          {outcome?.ok ? (
            <Alert tone="info" className="break-all">
              Assigned <code>{outcome.code}</code> to {outcome.userId}.
            </Alert>
          ) : outcome ? (
            <Alert tone="error">{outcome.message}</Alert>
          ) : null}
        </div>
      </form>
    </section>
  );
}
