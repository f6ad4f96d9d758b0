"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useCallback, useMemo, useState, useSyncExternalStore } from "react";
import { useForm, useWatch } from "react-hook-form";
import type { z } from "zod";
import { queryKeys } from "@/components/query-keys";
import { GenerationRunProgress } from "@/components/seller/generation-run-progress";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { FieldMessage, Input, Label } from "@/components/ui/field";
import { toast } from "@/components/ui/toaster";
import { previewPattern } from "@/lib/coupons/book-form";
import type { GenerationRunDto } from "@/lib/coupons/generation-runs";
import { StartGenerationInput } from "@/lib/coupons/schemas";

type Values = z.input<typeof StartGenerationInput>;
/** What the start action answers (ActionResult of lib/http/server-action.ts, as far as the form reads it). */
type StartResult = { ok: true; data: GenerationRunDto } | { ok: false; code: string; error: string; fieldErrors: Record<string, string> };

interface Props {
  book: { id: string; generatedCount: number; totalCodesExpected: number | null };
  /** The server's GENERATE_MAX_QUANTITY: the most codes one run makes. */
  maxQuantity: number;
  /** The book's unfinished runs, so a seller coming back sees them still going. */
  runs: GenerationRunDto[];
  action: (input: unknown) => Promise<StartResult>;
}

const noSubscription = () => () => {};
const NO_CODES = { totalCodesExpected: null, generatedCount: 0 };
const ratioText = (ratio: number) => (ratio >= 100 ? `${Math.floor(ratio).toLocaleString("en-US")}×` : `${ratio.toPrecision(2)}×`);

/**
 * Generates codes from a pattern, as a background run on the server whose progress the form polls
 * (GenerationRunProgress). Each submission carries a requestKey, kept until a run has started, so a
 * double submit or a retry after a lost answer finds the same run instead of starting a second. The preview (sample codes, keyspace ratio, the API's refusal of a
 * guessable pattern) runs in the browser with the API's own functions (parsePattern, fillPattern,
 * checkKeyspace), so a pattern the API would refuse never gets submitted.
 */
export function GenerateCodesForm({ book, maxQuantity, runs: unfinishedRuns, action }: Props) {
  const router = useRouter();
  const queryClient = useQueryClient();
  const [runs, setRuns] = useState(unfinishedRuns);
  const [finishedRunIds, setFinishedRunIds] = useState<ReadonlySet<string>>(new Set());
  const [requestKey, setRequestKey] = useState(() => crypto.randomUUID());
  const {
    register,
    handleSubmit,
    setError,
    control,
    formState: { errors, isSubmitting },
  } = useForm<Values, unknown, StartGenerationInput>({
    resolver: zodResolver(StartGenerationInput),
    defaultValues: { couponBookId: book.id, pattern: "CODE-{XXXXXXXX}", quantity: 1000 },
  });

  const [pattern, typedQuantity] = useWatch({ control, name: ["pattern", "quantity"] });
  const quantity = Number(typedQuantity);
  // The keyspace rule counts the codes unfinished runs are still to make, as the server does.
  const promised = runs.reduce((sum, run) => (finishedRunIds.has(run.id) || run.status === "SUCCEEDED" || run.status === "FAILED" ? sum : sum + run.quantity - run.generated), 0);
  const current = { totalCodesExpected: book.totalCodesExpected, generatedCount: book.generatedCount + promised };
  // Deterministic, so rendered on the server too; the random samples are drawn in the browser only.
  const preview = previewPattern(pattern, current, quantity, 0);
  const inBrowser = useSyncExternalStore(noSubscription, () => true, () => false);
  // Memoized per pattern: the samples stay put while the seller edits the quantity.
  const samples = useMemo(() => (inBrowser ? previewPattern(pattern, NO_CODES, 1, 5).samples : []), [inBrowser, pattern]);

  const refusal = preview.error ?? (preview.keyspace && !preview.keyspace.ok ? preview.keyspace.message : undefined);

  const onRunFinished = useCallback(
    async (run: GenerationRunDto) => {
      setFinishedRunIds((ids) => new Set(ids).add(run.id));
      if (run.status === "SUCCEEDED") toast.success(`Generated ${run.generated.toLocaleString("en-US")} codes`);
      else toast.error(`Generation stopped after ${run.generated.toLocaleString("en-US")} codes`);
      await queryClient.invalidateQueries({ queryKey: queryKeys.books.detail(book.id) });
      await queryClient.invalidateQueries({ queryKey: queryKeys.books.all });
      router.refresh();
    },
    [book.id, queryClient, router],
  );

  const onSubmit = handleSubmit(async (values) => {
    if (values.quantity > maxQuantity) {
      setError("quantity", { type: "max", message: `at most ${maxQuantity.toLocaleString("en-US")} codes per run` }, { shouldFocus: true });
      return;
    }
    const result = await action({ ...values, requestKey });
    if (result.ok) {
      setRequestKey(crypto.randomUUID());
      setRuns((current) => [result.data, ...current.filter((run) => run.id !== result.data.id)]);
      return;
    }
    const fields = { ...result.fieldErrors };
    if (result.code === "PATTERN_TOO_GUESSABLE") fields.pattern ??= result.error;
    let placed = false;
    for (const field of ["pattern", "quantity"] as const) {
      if (fields[field]) {
        setError(field, { type: "server", message: fields[field] }, { shouldFocus: !placed });
        placed = true;
      }
    }
    if (!placed) setError("root.server", { type: "server", message: result.error });
  });

  const patternError = errors.pattern?.message ?? refusal;
  const quantityError = errors.quantity?.message;
  return (
    <form onSubmit={onSubmit} className="grid gap-6" noValidate aria-label="Generate codes">
      {errors.root?.server?.message ? <Alert>{errors.root.server.message}</Alert> : null}
      {runs.length > 0 ? (
        <section aria-label="Generation runs" className="grid gap-2">
          {runs.map((run) => (
            <GenerationRunProgress key={run.id} initial={run} onFinished={onRunFinished} />
          ))}
        </section>
      ) : null}
      <div className="grid gap-4 rounded-lg border border-line bg-white p-4 sm:grid-cols-2 sm:p-6">
        <div className="grid content-start gap-1">
          <Label htmlFor="generate-pattern">Pattern</Label>
          <Input
            id="generate-pattern"
            autoComplete="off"
            autoCapitalize="characters"
            spellCheck={false}
            aria-invalid={patternError ? true : undefined}
            aria-describedby={`generate-pattern-hint${patternError ? " generate-pattern-error" : ""}`}
            {...register("pattern")}
          />
          <FieldMessage id="generate-pattern-hint">
            Text outside braces is kept as is; inside braces <code>X</code> is a letter or digit (no 0, O, 1 or I) and <code>#</code> a digit, e.g.{" "}
            <code>SPRING-{"{XXXXXX}"}</code>.
          </FieldMessage>
          {patternError ? (
            <FieldMessage id="generate-pattern-error" tone="error">
              {patternError}
            </FieldMessage>
          ) : null}
        </div>
        <div className="grid content-start gap-1">
          <Label htmlFor="generate-quantity">How many codes</Label>
          <Input
            id="generate-quantity"
            type="number"
            min={1}
            max={maxQuantity}
            inputMode="numeric"
            aria-invalid={quantityError ? true : undefined}
            aria-describedby={`generate-quantity-hint${quantityError ? " generate-quantity-error" : ""}`}
            {...register("quantity", { valueAsNumber: true })}
          />
          <FieldMessage id="generate-quantity-hint">
            Up to {maxQuantity.toLocaleString("en-US")} per run. Codes are made in the background: you can leave the page while they are.
          </FieldMessage>
          {quantityError ? (
            <FieldMessage id="generate-quantity-error" tone="error">
              {quantityError}
            </FieldMessage>
          ) : null}
        </div>
      </div>

      <section aria-labelledby="generate-preview" className="grid gap-3 rounded-lg border border-line bg-panel p-4 sm:p-6">
        <h2 id="generate-preview" className="text-base font-semibold">
          Preview
        </h2>
        <dl className="grid gap-2 text-sm sm:grid-cols-2">
          <div>
            <dt className="text-muted">Keyspace</dt>
            <dd className="font-medium">{preview.keyspace ? `${preview.keyspace.keyspace.toLocaleString("en-US")} possible codes` : "—"}</dd>
          </div>
          <div>
            <dt className="text-muted">Keyspace ratio (at least 1× needed)</dt>
            <dd className={preview.keyspace && !preview.keyspace.ok ? "font-medium text-danger" : "font-medium"} data-testid="keyspace-ratio">
              {preview.keyspace ? `${ratioText(preview.keyspace.ratio)} (${preview.keyspace.requiredKeyspace.toLocaleString("en-US")} possible codes required)` : "—"}
            </dd>
          </div>
        </dl>
        <div>
          <h3 className="text-sm text-muted">Sample codes</h3>
          {samples.length > 0 && !preview.error ? (
            <ul aria-label="Sample codes" className="mt-1 flex flex-wrap gap-2">
              {samples.map((code, i) => (
                <li key={`${i}-${code}`}>
                  <code className="rounded border border-line bg-white px-2 py-1 text-sm break-all">{code}</code>
                </li>
              ))}
            </ul>
          ) : (
            <p className="mt-1 text-sm text-muted">{preview.error ? "Fix the pattern to see samples." : "Drawing samples…"}</p>
          )}
        </div>
      </section>

      <div>
        <Button type="submit" pending={isSubmitting} disabled={Boolean(refusal)}>
          {isSubmitting ? "Starting…" : "Generate codes"}
        </Button>
      </div>
    </form>
  );
}
