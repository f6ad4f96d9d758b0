import { cx } from "./cx";

/** A grey placeholder block; size it with classes (`h-4 w-32`). Hidden from screen readers: the loading region says "Loading". */
export function Skeleton({ className }: { className?: string }) {
  return <div aria-hidden="true" className={cx("animate-pulse rounded-md bg-line/60", className)} />;
}
