import type { ReactNode } from "react";
import { cx } from "./cx";

const TONES = {
  error: "border-danger/40 bg-danger/5 text-danger",
  info: "border-accent/30 bg-accent/5 text-fg",
} as const;

/** A message box: `role="alert"` for errors (announced at once), `status` for information. */
export function Alert({ tone = "error", children, className }: { tone?: keyof typeof TONES; children: ReactNode; className?: string }) {
  return (
    <div role={tone === "error" ? "alert" : "status"} className={cx("rounded-md border px-3 py-2 text-sm", TONES[tone], className)}>
      {children}
    </div>
  );
}
