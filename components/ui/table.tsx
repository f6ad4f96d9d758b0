import type { HTMLAttributes, ReactNode, TdHTMLAttributes, ThHTMLAttributes } from "react";
import { cx } from "./cx";

/**
 * A real `<table>` that scrolls inside its own box when it is wider than the screen, so the page
 * never scrolls sideways and no column is hidden. The box is a labelled, focusable region: keyboard
 * users can scroll it with the arrow keys and screen readers announce what it holds.
 */
export function ResponsiveTable({ label, children, className }: { label: string; children: ReactNode; className?: string }) {
  return (
    <>
      <div
        role="region"
        aria-label={label}
        tabIndex={0}
        className={cx(
          // relative: an absolutely positioned child (a .sr-only label in a cell) is laid out against
          // this scrolling box; without it, it is placed against the page and widens it on a phone.
          "relative max-w-full overflow-x-auto rounded-lg border border-line focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-accent",
          className,
        )}
      >
        <table className="w-full min-w-max border-collapse text-left text-sm">
          <caption className="sr-only">{label}</caption>
          {children}
        </table>
      </div>
      {/* On a phone most tables are wider than the screen: say so, since a scrollbar may be hidden until touched. */}
      <p className="mt-2 text-xs text-muted sm:hidden">Scroll the table sideways to see every column.</p>
    </>
  );
}

export function THead({ className, ...props }: HTMLAttributes<HTMLTableSectionElement>) {
  return <thead className={cx("bg-panel text-muted", className)} {...props} />;
}

export function TBody({ className, ...props }: HTMLAttributes<HTMLTableSectionElement>) {
  return <tbody className={cx("divide-y divide-line", className)} {...props} />;
}

export function Tr({ className, ...props }: HTMLAttributes<HTMLTableRowElement>) {
  return <tr className={cx("align-top", className)} {...props} />;
}

export function Th({ numeric, className, scope = "col", ...props }: ThHTMLAttributes<HTMLTableCellElement> & { numeric?: boolean }) {
  return <th scope={scope} className={cx("px-3 py-2 font-semibold whitespace-nowrap", numeric && "text-right", className)} {...props} />;
}

export function Td({ numeric, className, ...props }: TdHTMLAttributes<HTMLTableCellElement> & { numeric?: boolean }) {
  return <td className={cx("px-3 py-2", numeric && "text-right tabular-nums", className)} {...props} />;
}
