import { cx } from "@/components/ui/cx";

/**
 * How much of a cap is used: the figure in words ("12 of 100 uses, 12%") and a bar drawn from it,
 * hidden from screen readers since the words say the same. Without a cap there is nothing to fill:
 * the count alone, no bar. The bar turns amber from 80 % and red when the cap is reached.
 */
export function UsageBar({ label, used, cap, unit, format = (n) => n.toLocaleString("en-US") }: { label: string; used: number; cap: number | null; unit?: string; format?: (n: number) => string }) {
  const what = unit ? ` ${unit}` : "";
  if (cap === null) {
    return (
      <div className="min-w-0 text-sm">
        <div className="text-muted">{label}</div>
        <div className="font-medium tabular-nums">
          {format(used)}
          {what} <span className="font-normal text-muted">· no cap</span>
        </div>
      </div>
    );
  }
  const ratio = cap > 0 ? used / cap : 1;
  const percent = Math.round(Math.min(ratio, 1) * 100);
  return (
    <div className="min-w-0 text-sm">
      <div className="flex flex-wrap justify-between gap-x-2">
        <span className="text-muted">{label}</span>
        <span className="font-medium tabular-nums">
          {format(used)} of {format(cap)}
          {what} ({Math.round(ratio * 100)}%)
        </span>
      </div>
      <div aria-hidden="true" className="mt-1 h-2 w-full overflow-hidden rounded-full bg-line/60">
        <div className={cx("h-full rounded-full", ratio >= 1 ? "bg-danger" : ratio >= 0.8 ? "bg-warning" : "bg-accent")} style={{ width: `${percent}%` }} />
      </div>
    </div>
  );
}
