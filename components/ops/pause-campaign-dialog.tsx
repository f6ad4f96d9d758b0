"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useRouter } from "next/navigation";
import { useId, useState, useTransition } from "react";
import { useForm } from "react-hook-form";
import type { z } from "zod";
import { Alert } from "@/components/ui/alert";
import { Button, type ButtonSize } from "@/components/ui/button";
import { Dialog, DialogClose } from "@/components/ui/dialog";
import { FieldMessage, Label, Textarea } from "@/components/ui/field";
import { toast } from "@/components/ui/toaster";
import type { ActionResult } from "@/lib/http/server-action";
import { PauseCampaignInput } from "@/lib/ops/campaign-action-schemas";

type Values = z.input<typeof PauseCampaignInput>;
type PauseAction = (input: unknown) => Promise<ActionResult<unknown>>;

/**
 * Pause one campaign with a reason, from a dialog: the reason is checked in the browser with the
 * action's schema, then the server action (the internal API's service) answers; a refusal (the
 * campaign expired, or someone else changed it first) is shown in the dialog, and the page is
 * refreshed either way so it shows the campaign as it is now. `takeOver`: the seller paused it
 * themselves, and ops take the pause over so the seller cannot resume it mid-incident.
 */
export function PauseCampaignDialog({ campaignId, campaignName, takeOver = false, size = "sm", pause }: { campaignId: string; campaignName: string; takeOver?: boolean; size?: ButtonSize; pause: PauseAction }) {
  const router = useRouter();
  const id = useId();
  const [open, setOpen] = useState(false);
  const [refusal, setRefusal] = useState<string | null>(null);
  const [, startTransition] = useTransition();
  const {
    register,
    handleSubmit,
    setError,
    reset,
    formState: { errors, isSubmitting },
  } = useForm<Values, unknown, PauseCampaignInput>({
    resolver: zodResolver(PauseCampaignInput),
    defaultValues: { campaignId, status: "PAUSED", reason: "" },
  });

  const submit = handleSubmit(async (values) => {
    setRefusal(null);
    let result: Awaited<ReturnType<PauseAction>>;
    try {
      result = await pause(values);
    } catch {
      setRefusal("Could not reach the server; try again.");
      return;
    }
    if (result.ok) {
      toast.success(`“${campaignName}” paused`);
      setOpen(false);
      reset();
      startTransition(() => router.refresh());
      return;
    }
    if (result.fieldErrors.reason) setError("reason", { message: result.fieldErrors.reason });
    setRefusal(`${result.error} (${result.code})`);
    toast.error(result.error);
    startTransition(() => router.refresh());
  });

  const reasonError = errors.reason?.message;
  return (
    <Dialog
      title={takeOver ? "Take over this pause?" : "Pause this campaign?"}
      description={
        takeOver
          ? `“${campaignName}” was paused by its seller. Ops taking the pause over means only ops can resume it.`
          : `“${campaignName}” stops accepting codes at once. Its seller sees the pause and your reason; only ops can resume it.`
      }
      open={open}
      onOpenChange={(next) => {
        setOpen(next);
        if (!next) setRefusal(null);
      }}
      trigger={
        <Button variant="secondary" size={size}>
          {takeOver ? "Take over pause" : "Pause"}
          <span className="sr-only"> {campaignName}</span>
        </Button>
      }
    >
      <form onSubmit={submit} noValidate className="grid gap-4">
        <div>
          <Label htmlFor={`${id}-reason`}>Reason</Label>
          <Textarea
            id={`${id}-reason`}
            maxLength={500}
            aria-invalid={reasonError ? true : undefined}
            aria-describedby={`${id}-reason-hint${reasonError ? ` ${id}-reason-error` : ""}`}
            {...register("reason")}
          />
          <FieldMessage id={`${id}-reason-hint`}>Required, up to 500 characters. It goes into the audit trail and the seller console.</FieldMessage>
          {reasonError ? (
            <FieldMessage id={`${id}-reason-error`} tone="error">
              {reasonError}
            </FieldMessage>
          ) : null}
        </div>
        {refusal ? <Alert>{refusal}</Alert> : null}
        <div className="flex flex-wrap justify-end gap-2">
          <DialogClose asChild>
            <Button variant="secondary">Cancel</Button>
          </DialogClose>
          <Button type="submit" variant="danger" pending={isSubmitting}>
            {takeOver ? "Take over the pause" : "Pause campaign"}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
