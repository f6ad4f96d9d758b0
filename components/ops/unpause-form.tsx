"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { useForm } from "react-hook-form";
import type { z } from "zod";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { FieldMessage, Label, Textarea } from "@/components/ui/field";
import { toast } from "@/components/ui/toaster";
import type { ActionResult } from "@/lib/http/server-action";
import { UnpauseCampaignInput, type UnpauseChecklist } from "@/lib/ops/campaign-action-schemas";

type Values = z.input<typeof UnpauseCampaignInput>;
type UnpauseAction = (input: unknown) => Promise<ActionResult<unknown>>;

/** Seed 001 §4, in the order the page shows the evidence; each check names the section above it. */
const CHECKS: { key: keyof UnpauseChecklist; label: string; hint: string }[] = [
  {
    key: "metadataVerified",
    label: "I verified the campaign's metadata",
    hint: "Step 1: type, scope, status, validity window, max uses and uses are right; a config regression is fixed before unpausing.",
  },
  {
    key: "burstOver",
    label: "The abuse burst is no longer active",
    hint: "Step 2: the recent failures are back to normal: few failing codes and shoppers, no new burst.",
  },
  {
    key: "monitoringPlanned",
    label: "I will monitor the campaign for 10–15 minutes after the unpause",
    hint: "Step 3: the failure mix, redemption success and repeat autopause alerts, on the dashboard and in the alerts.",
  },
];

/**
 * The confirm step of the safe unpause: every check of the runbook ticked and a reason, validated
 * with the action's schema here and again on the server, then PAUSED → ACTIVE through the internal
 * API's service. The page re-renders from the server afterwards and says the campaign is ACTIVE.
 */
export function UnpauseForm({ campaignId, campaignName, unpause }: { campaignId: string; campaignName: string; unpause: UnpauseAction }) {
  const router = useRouter();
  const [refusal, setRefusal] = useState<string | null>(null);
  const [, startTransition] = useTransition();
  const {
    register,
    handleSubmit,
    setError,
    formState: { errors, isSubmitting },
  } = useForm<Values, unknown, UnpauseCampaignInput>({
    resolver: zodResolver(UnpauseCampaignInput),
    defaultValues: { campaignId, status: "ACTIVE", reason: "", checklist: { metadataVerified: false, burstOver: false, monitoringPlanned: false } },
  });

  const submit = handleSubmit(async (values) => {
    setRefusal(null);
    let result: Awaited<ReturnType<UnpauseAction>>;
    try {
      result = await unpause(values);
    } catch {
      setRefusal("Could not reach the server; try again.");
      return;
    }
    if (result.ok) {
      toast.success(`“${campaignName}” is ACTIVE again`);
      startTransition(() => router.refresh());
      return;
    }
    for (const [field, message] of Object.entries(result.fieldErrors)) {
      if (field === "reason" || field.startsWith("checklist.")) setError(field as "reason", { message });
    }
    setRefusal(`${result.error} (${result.code})`);
    toast.error(result.error);
    // A refusal usually means the campaign changed meanwhile (resumed by someone else, expired): show it as it is.
    startTransition(() => router.refresh());
  });

  return (
    <form onSubmit={submit} noValidate aria-labelledby="unpause-confirm" className="grid gap-5 rounded-lg border border-line p-4">
      <h2 id="unpause-confirm" className="text-lg font-semibold">
        Confirm the unpause
      </h2>
      <fieldset className="grid gap-3">
        <legend className="mb-1 text-sm font-medium">Runbook checks (all required)</legend>
        {CHECKS.map((check) => {
          const error = errors.checklist?.[check.key]?.message;
          const id = `check-${check.key}`;
          return (
            <div key={check.key}>
              <label htmlFor={id} className="flex items-start gap-2">
                <input
                  id={id}
                  type="checkbox"
                  className="mt-1 size-4 shrink-0"
                  aria-invalid={error ? true : undefined}
                  aria-describedby={`${id}-hint${error ? ` ${id}-error` : ""}`}
                  {...register(`checklist.${check.key}`)}
                />
                <span className="font-medium">{check.label}</span>
              </label>
              <FieldMessage id={`${id}-hint`} className="ml-6">
                {check.hint}
              </FieldMessage>
              {error ? (
                <FieldMessage id={`${id}-error`} tone="error" className="ml-6">
                  {error}
                </FieldMessage>
              ) : null}
            </div>
          );
        })}
      </fieldset>
      <div>
        <Label htmlFor="unpause-reason">Reason for the unpause</Label>
        <Textarea
          id="unpause-reason"
          maxLength={500}
          aria-invalid={errors.reason ? true : undefined}
          aria-describedby={`unpause-reason-hint${errors.reason ? " unpause-reason-error" : ""}`}
          {...register("reason")}
        />
        <FieldMessage id="unpause-reason-hint">Required, up to 500 characters: what made it safe (false positive, leaked batch disabled, config fixed).</FieldMessage>
        {errors.reason ? (
          <FieldMessage id="unpause-reason-error" tone="error">
            {errors.reason.message}
          </FieldMessage>
        ) : null}
      </div>
      {refusal ? <Alert>{refusal}</Alert> : null}
      <div>
        <Button type="submit" pending={isSubmitting}>
          Unpause campaign
        </Button>
      </div>
    </form>
  );
}
