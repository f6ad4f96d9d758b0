/** A timestamp as the consoles print it: minutes, in UTC, so every viewer reads the same time. */
export const utcMinute = (iso: string) => `${iso.slice(0, 16).replace("T", " ")} UTC`;

/** Minor units as money ("$12.50"); an unknown currency falls back to "12.50 XYZ". */
export function formatMoney(minor: number, currency: string): string {
  try {
    return new Intl.NumberFormat("en-US", { style: "currency", currency }).format(minor / 100);
  } catch {
    return `${(minor / 100).toFixed(2)} ${currency}`;
  }
}

/** What a coupon takes off, as shoppers and sellers read it: "20% off", "$5.00 off", "Free shipping". */
export function discountLabel(coupon: { discountType: "PERCENT" | "FIXED" | "FREE_SHIPPING"; discountValue: number; currency: string }): string {
  if (coupon.discountType === "PERCENT") return `${coupon.discountValue}% off`;
  if (coupon.discountType === "FIXED") return `${formatMoney(coupon.discountValue, coupon.currency)} off`;
  return "Free shipping";
}
