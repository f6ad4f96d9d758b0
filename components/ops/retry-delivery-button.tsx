"use client";

import { useRouter } from "next/navigation";
import { useId, useState, useTransition } from "react";
import { utcMinute } from "@/components/format";
import { Button } from "@/components/ui/button";
import { Dialog, DialogClose } from "@/components/ui/dialog";
import { FieldMessage, Label, Textarea } from "@/components/ui/field";
import { toast } from "@/components/ui/toaster";
import { RetryDeliveryInput } from "@/lib/ops/schemas";

type RetriedDelivery = { status: "PENDING" | "DELIVERED" | "FAILED"; lastError: string | null; nextAttemptAt: Date | string | null };

/** The retry server action, passed down by the page (components never import app/); its answer as this form reads it. */
export type RetryDelivery = (input: {
  deliveryId: string;
  reason?: string;
}) => Promise<{ ok: true; data: { delivery: RetriedDelivery } } | { ok: false; error: string; fieldErrors: Record<string, string> }>;

/** What the operator is told once the retry's own send attempt has come back. */
function outcome(delivery: RetriedDelivery, channel: string) {
  if (delivery.status === "DELIVERED") return { tone: "success" as const, text: `${channel} delivery sent: DELIVERED` };
  if (delivery.status === "FAILED") return { tone: "error" as const, text: `${channel} delivery failed again${delivery.lastError ? `: ${delivery.lastError}` : ""}` };
  const next = delivery.nextAttemptAt ? ` (next try ${utcMinute(new Date(delivery.nextAttemptAt).toISOString())})` : "";
  return { tone: "info" as const, text: `${channel} delivery is PENDING again${next}` };
}

/**
 * Retry of one FAILED delivery, behind a dialog that takes an optional reason (kept in the audit
 * row). The reason is checked with the API's own schema before it is sent; the server's refusals
 * (already retried in another tab: 409) are shown, and the page re-renders from the server after.
 */
export function RetryDeliveryButton({ deliveryId, channel, alertSummary, retry }: { deliveryId: string; channel: string; alertSummary: string; retry: RetryDelivery }) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const [, startTransition] = useTransition();
  const reasonId = useId();
  const hintId = `${reasonId}-hint`;
  const errorId = `${reasonId}-error`;

  async function submit() {
    const parsed = RetryDeliveryInput.safeParse({ reason: reason.trim() || undefined });
    if (!parsed.success) {
      setError(parsed.error.issues[0]?.message ?? "Check the reason");
      return;
    }
    setError(null);
    setPending(true);
    try {
      const result = await retry({ deliveryId, ...parsed.data });
      if (result.ok) {
        const told = outcome(result.data.delivery, channel);
        toast[told.tone](told.text);
        setOpen(false);
        setReason("");
      } else if (result.fieldErrors.reason) {
        setError(result.fieldErrors.reason);
        return;
      } else {
        // Usually someone else retried it first: the refreshed page shows where it stands now.
        toast.error(result.error);
        setOpen(false);
      }
      startTransition(() => router.refresh());
    } catch {
      toast.error("Could not reach the server; try again");
    } finally {
      setPending(false);
    }
  }

  return (
    <Dialog
      title={`Retry the ${channel} delivery?`}
      description={`It is sent again now, with a fresh set of attempts: “${alertSummary.length > 140 ? `${alertSummary.slice(0, 139)}…` : alertSummary}”`}
      open={open}
      onOpenChange={(next) => {
        setOpen(next);
        if (!next) setError(null);
      }}
      trigger={
        <Button variant="secondary" size="sm">
          Retry<span className="sr-only"> the {channel} delivery</span>
        </Button>
      }
    >
      <form
        onSubmit={(event) => {
          event.preventDefault();
          void submit();
        }}
        noValidate
      >
        <Label htmlFor={reasonId}>Reason (optional)</Label>
        <Textarea
          id={reasonId}
          name="reason"
          value={reason}
          onChange={(event) => setReason(event.target.value)}
          maxLength={500}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${hintId} ${errorId}` : hintId}
        />
        <FieldMessage id={hintId}>Kept in the ops audit with your name, e.g. “receiver fixed”.</FieldMessage>
        {error ? (
          <FieldMessage id={errorId} tone="error" role="alert">
            {error}
          </FieldMessage>
        ) : null}
        <div className="mt-4 flex flex-wrap justify-end gap-2">
          <DialogClose asChild>
            <Button variant="secondary">Cancel</Button>
          </DialogClose>
          <Button type="submit" pending={pending}>
            Retry now
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
