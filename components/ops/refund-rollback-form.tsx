"use client";

import { useRouter } from "next/navigation";
import { useId, useState, useTransition, type FormEvent } from "react";
import { formatMoney, utcMinute } from "@/components/format";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { FieldMessage, Label, Textarea } from "@/components/ui/field";
import type { ActionResult } from "@/lib/http/server-action";
import type { RefundRollbackResult } from "@/lib/ops/refund-actions";
import { RefundRollbackInput } from "@/lib/refunds/schemas";

/** The rollback server action, passed down by the page (components never import app/). */
type Rollback = (input: unknown) => Promise<ActionResult<RefundRollbackResult>>;

export interface RollbackTarget {
  purchaseId: string;
  sellerName: string;
  status: string;
}

type Outcome = { ok: true; scope: string; data: RefundRollbackResult } | { ok: false; scope: string; message: string };

const ORDER = "order";

function plural(n: number, one: string, many = `${one}s`) {
  return `${n} ${n === 1 ? one : many}`;
}

/** What the answer means for ops: the uses given back now, or that an earlier rollback already did it. */
function OutcomeMessage({ outcome }: { outcome: Outcome }) {
  if (!outcome.ok) {
    return (
      <Alert>
        {outcome.scope}: {outcome.message}
      </Alert>
    );
  }
  const { revoked, redemptions, purchases } = outcome.data;
  const refunded = purchases.filter((p) => p.status === "REFUNDED").length;
  // One transaction revokes at one time: the latest revokedAt marks the uses this call gave back.
  const latest = redemptions
    .map((use) => use.revokedAt)
    .filter((at): at is string => Boolean(at))
    .sort()
    .at(-1);
  if (revoked > 0) {
    const given = redemptions.filter((use) => use.revokedAt === latest);
    const discount = given.reduce((sum, use) => sum + use.discountAmount, 0);
    return (
      <Alert tone="info">
        <p className="font-semibold">
          {outcome.scope}: rolled back. {plural(revoked, "coupon use")} given back
          {given[0]?.currency ? ` (${formatMoney(discount, given[0].currency)} of discount)` : ""}.
        </p>
        <p>
          {plural(refunded, "purchase")} now REFUNDED. The shopper{redemptions.length === 1 ? "" : "s"} may use the coupon again.
        </p>
      </Alert>
    );
  }
  return (
    <Alert tone="info">
      <p className="font-semibold">
        {outcome.scope}: {latest ? `already rolled back at ${utcMinute(latest)}` : "no coupon use left to give back"}. Nothing changed.
      </p>
      {latest ? (
        <p>
          {plural(redemptions.length, "use")} of this order {redemptions.length === 1 ? "was" : "were"} given back earlier
          {redemptions.at(-1)?.reason ? ` (reason: ${redemptions.at(-1)!.reason})` : ""}.
        </p>
      ) : null}
    </Alert>
  );
}

/**
 * Rolls an order's coupon uses back (POST /api/internal/promo/refund-rollback's service, through a
 * server action): the whole order, or one seller's purchase of it, with a required reason. The
 * input is checked with the API's own schema before it is sent. Idempotent on the server, so the
 * button stays available: a second click answers what is already done instead of failing.
 */
export function RefundRollbackForm({ orderId, targets, rollback }: { orderId: string; targets: RollbackTarget[]; rollback: Rollback }) {
  const router = useRouter();
  const ids = useId();
  const [scope, setScope] = useState<string>(ORDER);
  const [reason, setReason] = useState("");
  const [reasonError, setReasonError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [, startTransition] = useTransition();

  const scopeLabel = (value: string) => (value === ORDER ? "Whole order" : `${targets.find((t) => t.purchaseId === value)?.sellerName ?? "Seller"}'s purchase`);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const input = scope === ORDER ? { orderId, reason } : { purchaseId: scope, reason };
    const parsed = RefundRollbackInput.safeParse(input);
    if (!parsed.success) {
      setReasonError(parsed.error.issues.find((issue) => issue.path[0] === "reason") ? "Give a reason (1–500 characters): it goes into the audit trail" : parsed.error.issues[0]!.message);
      return;
    }
    setReasonError(null);
    setPending(true);
    const label = scopeLabel(scope);
    try {
      const result = await rollback(parsed.data);
      if (result.ok) {
        setOutcome({ ok: true, scope: label, data: result.data });
      } else {
        if (result.fieldErrors.reason) setReasonError(result.fieldErrors.reason);
        setOutcome({ ok: false, scope: label, message: `${result.error} (${result.code})` });
      }
      // Either way the cards above show the order as it is now.
      startTransition(() => router.refresh());
    } catch {
      setOutcome({ ok: false, scope: label, message: "Could not reach the server; try again" });
    } finally {
      setPending(false);
    }
  }

  const reasonId = `${ids}-reason`;
  return (
    <section aria-labelledby={`${ids}-title`} className="rounded-lg border border-line bg-white p-4 sm:p-5">
      <h2 id={`${ids}-title`} className="text-lg font-semibold">
        Roll back the coupon use
      </h2>
      <p className="mt-1 mb-4 text-sm text-muted">
        Gives the use back to the shopper (the coupon works again), returns it to the campaign&apos;s caps and budget, and marks the purchase REFUNDED.
        Audited with your name and the reason.
      </p>
      <form onSubmit={submit} noValidate className="grid max-w-xl gap-4">
        {targets.length > 1 ? (
          <fieldset className="grid gap-2">
            <legend className="mb-1 text-sm font-medium">What to roll back</legend>
            <label className="flex items-center gap-2 text-sm">
              <input type="radio" name="scope" value={ORDER} checked={scope === ORDER} onChange={() => setScope(ORDER)} className="size-4" />
              The whole order ({plural(targets.length, "purchase")})
            </label>
            {targets.map((target) => (
              <label key={target.purchaseId} className="flex items-center gap-2 text-sm">
                <input
                  type="radio"
                  name="scope"
                  value={target.purchaseId}
                  checked={scope === target.purchaseId}
                  onChange={() => setScope(target.purchaseId)}
                  className="size-4"
                />
                Only {target.sellerName}&apos;s purchase ({target.status})
              </label>
            ))}
          </fieldset>
        ) : null}
        <div>
          <Label htmlFor={reasonId}>Reason</Label>
          <Textarea
            id={reasonId}
            name="reason"
            value={reason}
            maxLength={500}
            required
            onChange={(event) => setReason(event.target.value)}
            aria-invalid={reasonError ? true : undefined}
            aria-describedby={`${reasonId}-hint`}
          />
          <FieldMessage id={`${reasonId}-hint`} tone={reasonError ? "error" : "muted"}>
            {reasonError ?? "Why the use is given back, e.g. “refund #4411: item returned”."}
          </FieldMessage>
        </div>
        <div>
          <Button type="submit" variant="danger" pending={pending}>
            Roll back {scope === ORDER ? "the order" : "this purchase"}
          </Button>
        </div>
      </form>
      <div aria-live="polite" className="mt-4 empty:hidden">
        {outcome ? <OutcomeMessage outcome={outcome} /> : null}
      </div>
    </section>
  );
}
