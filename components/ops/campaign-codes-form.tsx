"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Dialog, DialogClose } from "@/components/ui/dialog";
import { FieldMessage, Label, Textarea } from "@/components/ui/field";
import { toast } from "@/components/ui/toaster";
import type { ActionResult } from "@/lib/http/server-action";
import { CampaignCodesActionInput, splitPastedCodes } from "@/lib/ops/campaign-action-schemas";
import type { CodesChangeResult } from "@/lib/ops/campaign-codes";

type CodesAction = (input: unknown) => Promise<ActionResult<CodesChangeResult>>;
type Direction = "disable" | "enable";
type Mode = "list" | "all";
type Errors = { codes?: string; reason?: string };

const MAX_CODES = 1000;
/** How many entries of the paste that matched no code the result names; the count is always complete. */
const MAX_NOT_FOUND_SHOWN = 20;

const VERB: Record<Direction, { button: string; done: string }> = {
  disable: { button: "Disable", done: "Disabled" },
  enable: { button: "Enable", done: "Enabled" },
};

interface Outcome {
  direction: Direction;
  counts: CodesChangeResult;
  /** The pasted entries (as typed) that are no code of this campaign; stays in this browser, never logged. */
  notFound: string[];
}

/** The action's input, checked with its schema; the friendlier messages first for the two usual mistakes. */
function validate(campaignId: string, mode: Mode, pasted: string, reason: string): { input?: CampaignCodesActionInput; entries: string[]; errors: Errors } {
  const entries = mode === "list" ? splitPastedCodes(pasted) : [];
  const errors: Errors = {};
  if (mode === "list" && entries.length === 0) errors.codes = "Paste at least one code";
  else if (entries.length > MAX_CODES) errors.codes = `At most ${MAX_CODES} codes per change (${entries.length.toLocaleString("en-US")} pasted): split the list`;
  const input: CampaignCodesActionInput = mode === "all" ? { campaignId, all: true, reason } : { campaignId, codes: entries, reason };
  const parsed = CampaignCodesActionInput.safeParse(input);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const [field, position] = issue.path;
      if (field === "reason") errors.reason ??= issue.message;
      else if (field === "codes") errors.codes ??= typeof position === "number" ? `Entry ${position + 1}: ${issue.message}` : issue.message;
    }
  }
  return { input: Object.keys(errors).length === 0 ? input : undefined, entries, errors };
}

/**
 * Contain a leaked batch (seed 001 §3): paste codes (one per line or comma separated, up to 1000) or
 * pick the whole campaign, give a reason, and disable them, or enable them back. The counts are the
 * API's (updated, unchanged, not found); the whole campaign asks for a confirmation first.
 */
export function CampaignCodesForm({ campaignId, campaignName, totalCodes, disable, enable }: { campaignId: string; campaignName: string; totalCodes: number; disable: CodesAction; enable: CodesAction }) {
  const router = useRouter();
  const [mode, setMode] = useState<Mode>("list");
  const [pasted, setPasted] = useState("");
  const [reason, setReason] = useState("");
  const [errors, setErrors] = useState<Errors>({});
  const [refusal, setRefusal] = useState<string | null>(null);
  const [pending, setPending] = useState<Direction | null>(null);
  const [confirming, setConfirming] = useState<Direction | null>(null);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [, startTransition] = useTransition();
  const entryCount = splitPastedCodes(pasted).length;

  async function run(direction: Direction) {
    const { input, entries, errors: found } = validate(campaignId, mode, pasted, reason);
    setErrors(found);
    setRefusal(null);
    if (!input) return;
    setPending(direction);
    try {
      const result = await (direction === "disable" ? disable : enable)(input);
      if (result.ok) {
        const counts = result.data;
        const notFound = (counts.notFound.positions ?? []).map((position) => entries[position]!).filter(Boolean);
        setOutcome({ direction, counts, notFound });
        setConfirming(null);
        toast.success(`${VERB[direction].done}: ${counts.updated} updated · ${counts.unchanged} unchanged · ${counts.notFound.count} not found`);
        startTransition(() => router.refresh());
      } else {
        setErrors({ codes: result.fieldErrors.codes, reason: result.fieldErrors.reason });
        setRefusal(`${result.error} (${result.code})`);
        toast.error(result.error);
      }
    } catch {
      setRefusal("Could not reach the server; try again.");
    } finally {
      setPending(null);
    }
  }

  function start(direction: Direction) {
    if (mode === "all") {
      // Check the reason before asking: the confirmation should be the last step, not lead to an error.
      const { errors: found } = validate(campaignId, mode, pasted, reason);
      setErrors(found);
      if (Object.keys(found).length === 0) setConfirming(direction);
      return;
    }
    void run(direction);
  }

  return (
    <section aria-labelledby="campaign-codes" className="rounded-lg border border-line p-4">
      <h2 id="campaign-codes" className="text-lg font-semibold">
        Disable or enable codes
      </h2>
      <p className="mt-1 mb-4 max-w-prose text-sm text-muted">
        A disabled code answers INVALID at checkout; reservations already held are left to be applied or to expire. Every change is audited with your name and reason.
      </p>
      <form onSubmit={(event) => event.preventDefault()} noValidate className="grid max-w-2xl gap-4">
        <fieldset className="grid gap-2">
          <legend className="mb-1 text-sm font-medium">Which codes</legend>
          <label className="flex items-center gap-2 text-sm">
            <input type="radio" name="codes-mode" value="list" className="size-4" checked={mode === "list"} onChange={() => setMode("list")} /> The codes I paste
          </label>
          <label className="flex items-center gap-2 text-sm">
            <input type="radio" name="codes-mode" value="all" className="size-4" checked={mode === "all"} onChange={() => setMode("all")} /> Every code of the campaign ({totalCodes.toLocaleString("en-US")})
          </label>
        </fieldset>
        {mode === "list" ? (
          <div>
            <Label htmlFor="codes-list">Codes</Label>
            <Textarea
              id="codes-list"
              value={pasted}
              onChange={(event) => setPasted(event.target.value)}
              spellCheck={false}
              autoComplete="off"
              className="font-mono"
              aria-invalid={errors.codes ? true : undefined}
              aria-describedby={`codes-list-hint${errors.codes ? " codes-list-error" : ""}`}
            />
            <FieldMessage id="codes-list-hint">
              One per line or comma separated, up to {MAX_CODES.toLocaleString("en-US")}; case and spaces do not matter. {entryCount.toLocaleString("en-US")} in the list.
            </FieldMessage>
            {errors.codes ? (
              <FieldMessage id="codes-list-error" tone="error">
                {errors.codes}
              </FieldMessage>
            ) : null}
          </div>
        ) : null}
        <div>
          <Label htmlFor="codes-reason">Reason</Label>
          <Textarea
            id="codes-reason"
            value={reason}
            maxLength={500}
            onChange={(event) => setReason(event.target.value)}
            className="min-h-16"
            aria-invalid={errors.reason ? true : undefined}
            aria-describedby={`codes-reason-hint${errors.reason ? " codes-reason-error" : ""}`}
          />
          <FieldMessage id="codes-reason-hint">Required, up to 500 characters: it goes into the audit trail.</FieldMessage>
          {errors.reason ? (
            <FieldMessage id="codes-reason-error" tone="error">
              {errors.reason}
            </FieldMessage>
          ) : null}
        </div>
        {refusal ? <Alert>{refusal}</Alert> : null}
        <div className="flex flex-wrap gap-2">
          <Button variant="danger" pending={pending === "disable"} disabled={pending !== null} onClick={() => start("disable")}>
            {mode === "all" ? "Disable every code" : "Disable codes"}
          </Button>
          <Button variant="secondary" pending={pending === "enable"} disabled={pending !== null} onClick={() => start("enable")}>
            {mode === "all" ? "Enable every code" : "Enable codes"}
          </Button>
        </div>
      </form>

      <Dialog
        title={confirming === "enable" ? "Enable every code?" : "Disable every code?"}
        description={
          confirming === "enable"
            ? `Every disabled code of “${campaignName}” becomes usable again (assigned codes go back to their holders).`
            : `All ${totalCodes.toLocaleString("en-US")} codes of “${campaignName}” stop working at checkout until they are enabled again.`
        }
        open={confirming !== null}
        onOpenChange={(open) => {
          if (!open) setConfirming(null);
        }}
      >
        <div className="flex flex-wrap justify-end gap-2">
          <DialogClose asChild>
            <Button variant="secondary">Cancel</Button>
          </DialogClose>
          <Button variant={confirming === "enable" ? "primary" : "danger"} pending={pending !== null} onClick={() => confirming && void run(confirming)}>
            {confirming === "enable" ? "Enable every code" : "Disable every code"}
          </Button>
        </div>
      </Dialog>

      <div role="status" aria-live="polite" aria-label="Result of the last change" className="mt-4">
        {outcome ? (
          <div className="rounded-md border border-line bg-panel px-3 py-2 text-sm">
            <p className="font-medium">
              {VERB[outcome.direction].done}: {outcome.counts.updated.toLocaleString("en-US")} updated · {outcome.counts.unchanged.toLocaleString("en-US")} unchanged ·{" "}
              {outcome.counts.notFound.count.toLocaleString("en-US")} not found
            </p>
            {outcome.notFound.length > 0 ? (
              <p className="mt-1 break-all text-muted">
                Not codes of this campaign: {outcome.notFound.slice(0, MAX_NOT_FOUND_SHOWN).join(", ")}
                {outcome.notFound.length > MAX_NOT_FOUND_SHOWN ? ` and ${outcome.notFound.length - MAX_NOT_FOUND_SHOWN} more` : ""}
              </p>
            ) : null}
          </div>
        ) : null}
      </div>
    </section>
  );
}
