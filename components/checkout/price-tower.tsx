import { discountLabel, formatMoney } from "@/components/format";
import { Badge } from "@/components/ui/badge";
import type { PriceTower as Tower } from "@/lib/pricing/price-tower";

/** A tower item's catalogue name and seller, keyed by `itemKey(businessId, sku)`. */
export type ItemNames = Record<string, { name: string; sellerName: string }>;
export const itemKey = (businessId: string, sku: string) => `${businessId}:${sku}`;

const percentOfBasisPoints = (bp: number) => `${(bp / 100).toLocaleString("en-US", { maximumFractionDigits: 2 })}%`;

function Line({ label, amount, currency, negative, strong, testId }: { label: React.ReactNode; amount: number; currency: string; negative?: boolean; strong?: boolean; testId?: string }) {
  return (
    <div className={strong ? "flex items-baseline justify-between gap-4 border-t border-line pt-2 text-base font-semibold" : "flex items-baseline justify-between gap-4"}>
      <dt className="min-w-0">{label}</dt>
      <dd className="shrink-0 tabular-nums" data-testid={testId}>
        {negative ? `−${formatMoney(amount, currency)}` : formatMoney(amount, currency)}
      </dd>
    </div>
  );
}

/**
 * The price tower line by line, in the order it is calculated (DESIGN §7): items at list price,
 * seller item discounts, subtotal, the coupon on its seller's items only, shipping and any
 * free-shipping discount, tax at its rate, total. `showItems` lists the items first, marking the
 * ones the coupon discounts.
 */
export function PriceTower({
  tower,
  couponCode,
  names,
  showItems = false,
  label = "Price",
}: {
  tower: Tower;
  couponCode: string | null;
  names: ItemNames;
  showItems?: boolean;
  label?: string;
}) {
  const { currency, coupon } = tower;
  const couponSeller = coupon ? (Object.entries(names).find(([key]) => key.startsWith(`${coupon.businessId}:`))?.[1].sellerName ?? "this seller") : null;
  const itemCount = tower.items.reduce((n, item) => n + item.quantity, 0);
  return (
    <section aria-label={label} className="grid gap-3">
      {showItems ? (
        <ul aria-label="Items" className="grid gap-2 text-sm">
          {tower.items.map((item) => {
            const named = names[itemKey(item.businessId, item.sku)];
            return (
              <li key={itemKey(item.businessId, item.sku)} className="flex items-baseline justify-between gap-4">
                <span className="min-w-0">
                  <span className="font-medium">{named?.name ?? item.sku}</span> × {item.quantity}
                  <span className="block text-xs text-muted">
                    {named?.sellerName ?? ""} · {formatMoney(item.unitPrice, currency)} each
                  </span>
                  {coupon && item.couponEligible ? (
                    <Badge tone="success" className="mt-1">
                      Coupon applies
                    </Badge>
                  ) : null}
                </span>
                <span className="shrink-0 tabular-nums">{formatMoney(item.listAmount, currency)}</span>
              </li>
            );
          })}
        </ul>
      ) : null}
      <dl className="grid gap-2 text-sm">
        <Line label={`Items (${itemCount}) at list price`} amount={tower.itemsAmount} currency={currency} />
        {tower.itemDiscounts > 0 ? <Line label="Item discounts" amount={tower.itemDiscounts} currency={currency} negative /> : null}
        <Line label="Subtotal" amount={tower.subtotal} currency={currency} testId="tower-subtotal" />
        {coupon && tower.couponDiscount > 0 ? (
          <Line
            label={
              <>
                Coupon <code>{couponCode}</code> · {discountLabel({ ...coupon, currency })} {couponSeller}&rsquo;s items ({formatMoney(coupon.eligibleSubtotal, currency)})
                {coupon.cappedBy === "MAX_DISCOUNT" ? " · capped at the coupon's maximum" : coupon.cappedBy === "BUDGET" ? " · capped by what is left of the promotion" : ""}
              </>
            }
            amount={tower.couponDiscount}
            currency={currency}
            negative
            testId="tower-coupon-discount"
          />
        ) : null}
        <Line label="Shipping" amount={tower.shipping} currency={currency} />
        {tower.shippingDiscount > 0 ? (
          <Line
            label={
              <>
                Free shipping · coupon <code>{couponCode}</code>
              </>
            }
            amount={tower.shippingDiscount}
            currency={currency}
            negative
            testId="tower-shipping-discount"
          />
        ) : null}
        <Line label={`Tax (${percentOfBasisPoints(tower.taxRate)} of ${formatMoney(tower.taxableAmount, currency)})`} amount={tower.tax} currency={currency} />
        <Line label="Total" amount={tower.total} currency={currency} strong testId="tower-total" />
      </dl>
    </section>
  );
}
