"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useRouter } from "next/navigation";
import { useEffect, useId, useState, useTransition } from "react";
import { useForm } from "react-hook-form";
import type { z } from "zod";
import { formatMoney } from "@/components/format";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { FieldMessage, Input, Label } from "@/components/ui/field";
import type { ActionResult } from "@/lib/http/server-action";
import type { CartCoupon, CartView } from "@/lib/shop/cart";
import type { CouponAnswer } from "@/lib/shop/checkout";
import { ApplyCouponInput } from "@/lib/shop/schemas";

type Values = z.input<typeof ApplyCouponInput>;

export interface CouponFieldProps {
  checkoutId: string;
  /** The cart's coupon as viewCart reported it (RESERVED with its expiry, or LAPSED). */
  coupon: CartCoupon | null;
  currency: string;
  /** The seller whose items the reserved coupon discounts. */
  sellerName: string | null;
  /** The server's clock when the page was rendered (ISO), so the countdown ignores a wrong browser clock. */
  serverNow: string;
  /** Nothing to discount yet: the field explains instead of sending. */
  cartEmpty?: boolean;
  applyAction: (input: unknown) => Promise<ActionResult<CouponAnswer>>;
  removeAction: (input: unknown) => Promise<ActionResult<CartView>>;
}

const clock = (seconds: number) => `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, "0")}`;

/** Seconds left until `expiresAt`, read against the server's clock (offset measured once per render of the page). */
function useSecondsLeft(expiresAt: string | null, serverNow: string) {
  const [offset] = useState(() => Date.parse(serverNow) - Date.now());
  const compute = () => (expiresAt ? Math.max(0, Math.ceil((Date.parse(expiresAt) - (Date.now() + offset)) / 1000)) : 0);
  const [left, setLeft] = useState(compute);
  useEffect(() => {
    if (!expiresAt) return;
    const tick = () => setLeft(Math.max(0, Math.ceil((Date.parse(expiresAt) - (Date.now() + offset)) / 1000)));
    tick();
    const timer = setInterval(tick, 1000);
    return () => clearInterval(timer);
  }, [expiresAt, offset]);
  return left;
}

/**
 * The coupon field a merchant embeds in a checkout: a code reserved for this checkout (the internal
 * promo redeem) with a countdown to the reservation's expiry; Remove releases it; when the countdown
 * reaches 0 the page re-prices without it (the server then reports the coupon LAPSED) and offers to
 * apply it again. Every refusal shows the service's own message, as the field's error when the code
 * was typed: an unknown code and someone else's read the same.
 */
export function CouponField({ checkoutId, coupon, currency, sellerName, serverNow, cartEmpty = false, applyAction, removeAction }: CouponFieldProps) {
  const router = useRouter();
  const id = useId();
  const [refusal, setRefusal] = useState<string | null>(null);
  const [busy, setBusy] = useState<"apply" | "remove" | null>(null);
  const [refreshing, startRefresh] = useTransition();
  const {
    register,
    handleSubmit,
    setError,
    reset,
    formState: { errors },
  } = useForm<Values, unknown, ApplyCouponInput>({ resolver: zodResolver(ApplyCouponInput), defaultValues: { checkoutId, code: "" } });

  const reserved = coupon?.status === "RESERVED" ? coupon : null;
  const secondsLeft = useSecondsLeft(reserved?.expiresAt ?? null, serverNow);
  const lapsedHere = Boolean(reserved) && secondsLeft === 0;

  // The countdown reached 0: ask the server, which prices the cart without the lapsed coupon. Its
  // clock decides; while it still reports the reservation, ask again shortly.
  useEffect(() => {
    if (!lapsedHere) return;
    startRefresh(() => router.refresh());
    const again = setInterval(() => startRefresh(() => router.refresh()), 2000);
    return () => clearInterval(again);
  }, [lapsedHere, router]);

  /**
   * `typed`: the code comes from the field, so a refusal is the field's error (linked to it, and
   * focus goes back to it to try another); "Apply again" has no field and shows it above.
   */
  async function apply(code: string, typed: boolean) {
    setBusy("apply");
    setRefusal(null);
    const refuse = (message: string) => (typed ? setError("code", { type: "server", message }, { shouldFocus: true }) : setRefusal(message));
    try {
      const result = await applyAction({ checkoutId, code });
      if (!result.ok) {
        refuse(result.fieldErrors.code ?? result.error);
        if (result.code === "CONFLICT") startRefresh(() => router.refresh());
        return;
      }
      if (result.data.result !== "ACCEPTED") {
        refuse(result.data.message);
        // The shopper's coupon may have come off (a re-apply of a lapsed code): show the cart as it is.
        startRefresh(() => router.refresh());
        return;
      }
      reset({ checkoutId, code: "" });
      startRefresh(() => router.refresh());
    } finally {
      setBusy(null);
    }
  }

  async function remove() {
    setBusy("remove");
    setRefusal(null);
    try {
      const result = await removeAction({ checkoutId });
      if (!result.ok) setRefusal(result.error);
      startRefresh(() => router.refresh());
    } finally {
      setBusy(null);
    }
  }

  // A code the browser already refuses (empty, too long) replaces whatever the last refusal said.
  const onSubmit = handleSubmit(
    (values) => apply(values.code, true),
    () => setRefusal(null),
  );
  const pending = busy !== null || refreshing;
  const inputId = `${id}-code`;
  const codeError = errors.code?.message;

  return (
    <section aria-labelledby={`${id}-title`} className="grid gap-3 rounded-lg border border-line bg-white p-4">
      <h2 id={`${id}-title`} className="text-base font-semibold">
        Coupon
      </h2>
      {refusal ? <Alert>{refusal}</Alert> : null}
      {reserved && !lapsedHere ? (
        <div className="grid gap-2" data-testid="coupon-reserved">
          <p className="text-sm">
            <code className="rounded border border-line bg-panel px-1.5 py-0.5 font-semibold">{reserved.code}</code> applied:{" "}
            <strong>−{formatMoney(reserved.discountAmount, currency)}</strong>
            {sellerName ? <> on {sellerName}&rsquo;s items</> : null}
          </p>
          <p className="text-sm text-muted">
            {/* role=timer is not announced on every tick (its live region is off); its name says what it counts. */}
            <span role="timer" aria-live="off" suppressHydrationWarning aria-label={`Time left on the reservation of ${reserved.code}`} className="font-medium text-fg tabular-nums">
              Reserved for {clock(secondsLeft)}
            </span>{" "}
            · pay before then to keep the discount.
          </p>
          <div>
            <Button variant="secondary" size="sm" onClick={remove} pending={busy === "remove"} disabled={pending}>
              Remove
            </Button>
          </div>
        </div>
      ) : coupon ? (
        <div className="grid gap-2" data-testid="coupon-lapsed">
          <Alert>
            The reservation of <code>{coupon.code}</code> lapsed{lapsedHere && coupon.status === "RESERVED" ? "" : ": the total no longer includes its discount"}.
            {lapsedHere && coupon.status === "RESERVED" ? " Updating your total…" : " Apply it again to keep the discount, or remove it."}
          </Alert>
          <div className="flex flex-wrap gap-2">
            <Button size="sm" onClick={() => apply(coupon.code, false)} pending={busy === "apply"} disabled={pending}>
              Apply again
            </Button>
            <Button variant="secondary" size="sm" onClick={remove} pending={busy === "remove"} disabled={pending}>
              Remove
            </Button>
          </div>
        </div>
      ) : (
        <form onSubmit={onSubmit} noValidate aria-label="Apply a coupon" className="grid gap-1">
          <Label htmlFor={inputId}>Coupon code</Label>
          <div className="flex gap-2">
            <Input
              id={inputId}
              autoComplete="off"
              autoCapitalize="characters"
              spellCheck={false}
              className="min-w-0 flex-1"
              disabled={cartEmpty}
              aria-invalid={codeError ? true : undefined}
              aria-describedby={codeError ? `${id}-error` : cartEmpty ? `${id}-empty` : undefined}
              {...register("code")}
            />
            <input type="hidden" {...register("checkoutId")} />
            <Button type="submit" variant="secondary" pending={busy === "apply"} disabled={pending || cartEmpty}>
              Apply
            </Button>
          </div>
          {codeError ? (
            <FieldMessage id={`${id}-error`} tone="error" role="alert">
              {codeError}
            </FieldMessage>
          ) : cartEmpty ? (
            <FieldMessage id={`${id}-empty`}>Add something to your cart to use a coupon.</FieldMessage>
          ) : null}
        </form>
      )}
    </section>
  );
}
