"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { formatMoney } from "@/components/format";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import type { ActionResult } from "@/lib/http/server-action";
import type { CartView } from "@/lib/shop/cart";

export interface CartLineDto {
  productId: string;
  name: string;
  unitPrice: number;
  quantity: number;
  amount: number;
  /** The reserved coupon discounts this item (its seller's coupon). */
  couponEligible: boolean;
}

export interface SellerGroup {
  businessId: string;
  sellerName: string;
  lines: CartLineDto[];
}

/**
 * The cart's lines grouped by seller, each with a quantity stepper and Remove (setCartLineAction).
 * A change with a coupon reserved re-reserves it for the new cart; when the coupon came off, the
 * service's message says why and stays until the next change.
 */
export function CartLines({
  groups,
  currency,
  maxQuantity,
  action,
}: {
  groups: SellerGroup[];
  currency: string;
  maxQuantity: number;
  action: (input: unknown) => Promise<ActionResult<{ cart: CartView; couponMessage?: string }>>;
}) {
  const router = useRouter();
  const [notice, setNotice] = useState<{ tone: "error" | "info"; text: string } | null>(null);
  const [busyProduct, setBusyProduct] = useState<string | null>(null);
  const [refreshing, startRefresh] = useTransition();

  async function setQuantity(line: CartLineDto, quantity: number) {
    setBusyProduct(line.productId);
    setNotice(null);
    try {
      const result = await action({ productId: line.productId, quantity });
      if (!result.ok) setNotice({ tone: "error", text: result.error });
      else if (result.data.couponMessage) setNotice({ tone: "error", text: result.data.couponMessage });
      startRefresh(() => router.refresh());
    } finally {
      setBusyProduct(null);
    }
  }

  const pending = busyProduct !== null || refreshing;
  return (
    <div className="grid gap-4" aria-busy={pending || undefined}>
      {notice ? <Alert tone={notice.tone}>{notice.text}</Alert> : null}
      {groups.map((group) => (
        <section key={group.businessId} aria-labelledby={`seller-${group.businessId}`} className="rounded-lg border border-line bg-white">
          <h2 id={`seller-${group.businessId}`} className="border-b border-line bg-panel px-4 py-2 text-sm font-semibold">
            Sold by {group.sellerName}
          </h2>
          <ul className="divide-y divide-line">
            {group.lines.map((line) => (
              <li key={line.productId} className="grid gap-3 px-4 py-3 sm:grid-cols-[minmax(0,1fr)_auto_auto] sm:items-center">
                <div className="min-w-0">
                  <p className="font-medium">{line.name}</p>
                  <p className="text-sm text-muted">{formatMoney(line.unitPrice, currency)} each</p>
                  {line.couponEligible ? (
                    <Badge tone="success" className="mt-1">
                      Coupon applies
                    </Badge>
                  ) : null}
                </div>
                <div className="flex items-center justify-between gap-3 sm:contents">
                  <div className="flex items-center gap-2">
                    <div role="group" aria-label={`Quantity of ${line.name}`} className="flex items-center rounded-md border border-line">
                      <Button
                        variant="ghost"
                        size="sm"
                        aria-label={`One less ${line.name}`}
                        disabled={pending || line.quantity <= 1}
                        onClick={() => setQuantity(line, line.quantity - 1)}
                      >
                        −
                      </Button>
                      <output className="w-8 text-center tabular-nums" aria-label={`Quantity of ${line.name}`}>
                        {line.quantity}
                      </output>
                      <Button
                        variant="ghost"
                        size="sm"
                        aria-label={`One more ${line.name}`}
                        disabled={pending || line.quantity >= maxQuantity}
                        onClick={() => setQuantity(line, line.quantity + 1)}
                      >
                        +
                      </Button>
                    </div>
                    <Button variant="ghost" size="sm" aria-label={`Remove ${line.name}`} disabled={pending} onClick={() => setQuantity(line, 0)}>
                      Remove
                    </Button>
                  </div>
                  <p className="text-right font-medium tabular-nums sm:min-w-24">
                    {formatMoney(line.amount, currency)}
                  </p>
                </div>
              </li>
            ))}
          </ul>
        </section>
      ))}
    </div>
  );
}
