import { cx } from "./cx";

/** A decorative spinner: the control that shows it carries aria-busy, so screen readers skip this. */
export function Spinner({ className }: { className?: string }) {
  return <span aria-hidden="true" className={cx("inline-block size-4 animate-spin rounded-full border-2 border-current border-r-transparent", className)} />;
}
