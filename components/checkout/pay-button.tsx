"use client";

import { useRouter } from "next/navigation";
import { useId, useRef, useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import type { ActionResult } from "@/lib/http/server-action";

/**
 * Pays the checkout (placeOrderAction). Disabled while paying, so a double click sends once (the
 * service makes one order per checkout anyway). A lapsed reservation is refused with the service's
 * message and the page re-prices.
 */
export function PayButton({
  checkoutId,
  total,
  couponLapsed,
  action,
}: {
  checkoutId: string;
  total: string;
  /** The coupon's reservation ran out: say what to do before paying. */
  couponLapsed: string | null;
  action: (input: unknown) => Promise<ActionResult<{ orderId: string }>>;
}) {
  const router = useRouter();
  const id = useId();
  const sending = useRef(false);
  const [paying, setPaying] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function pay() {
    if (sending.current) return;
    sending.current = true;
    setPaying(true);
    setError(null);
    try {
      const result = await action({ checkoutId });
      if (result.ok) {
        router.push(`/shop/checkout/done?order=${encodeURIComponent(result.data.orderId)}`);
        return; // stay disabled while the confirmation loads
      }
      setError(result.error);
      if (result.code === "RESERVATION_EXPIRED" || result.code === "CONFLICT") router.refresh();
    } catch {
      setError("Your payment could not be sent. Check your connection and try again: you will not be charged twice.");
    }
    sending.current = false;
    setPaying(false);
  }

  return (
    <div className="grid gap-2">
      {error ? <Alert>{error}</Alert> : null}
      {couponLapsed ? (
        <p id={`${id}-lapsed`} className="text-sm text-danger">
          The reservation of <code>{couponLapsed}</code> ran out: apply it again or remove it, then pay.
        </p>
      ) : null}
      <Button onClick={pay} pending={paying} aria-describedby={couponLapsed ? `${id}-lapsed` : undefined} className="w-full">
        {paying ? "Paying…" : `Pay ${total}`}
      </Button>
    </div>
  );
}
