import type { ComponentProps, HTMLAttributes, LabelHTMLAttributes, SelectHTMLAttributes, TextareaHTMLAttributes } from "react";
import { cx } from "./cx";

const CONTROL =
  "block w-full rounded-md border border-line bg-white px-3 py-2 text-base text-fg " +
  "focus-visible:outline-2 focus-visible:outline-offset-1 focus-visible:outline-accent " +
  "aria-invalid:border-danger disabled:bg-panel disabled:opacity-70";

export function Label({ className, ...props }: LabelHTMLAttributes<HTMLLabelElement>) {
  return <label className={cx("block text-sm font-medium text-fg", className)} {...props} />;
}

export function Input({ className, ...props }: ComponentProps<"input">) {
  return <input className={cx(CONTROL, "h-10", className)} {...props} />;
}

/** A native select, styled: the platform's own keyboard and screen-reader behaviour, no custom listbox. */
export function Select({ className, ...props }: SelectHTMLAttributes<HTMLSelectElement>) {
  return <select className={cx(CONTROL, "h-10 pr-8", className)} {...props} />;
}

export function Textarea({ className, ...props }: TextareaHTMLAttributes<HTMLTextAreaElement>) {
  return <textarea className={cx(CONTROL, "min-h-24", className)} {...props} />;
}

/** A hint or an error under a control; give it an id and point the control's aria-describedby at it. */
export function FieldMessage({ tone = "muted", className, ...props }: { tone?: "muted" | "error" } & HTMLAttributes<HTMLParagraphElement>) {
  return <p className={cx("mt-1 text-sm", tone === "error" ? "text-danger" : "text-muted", className)} {...props} />;
}
