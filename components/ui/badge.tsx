import type { ReactNode } from "react";
import { cx } from "./cx";

export type BookStatus = "DRAFT" | "ACTIVE" | "PAUSED" | "EXPIRED" | "ARCHIVED";

const TONES = {
  neutral: "border-line bg-panel text-muted",
  success: "border-success/40 bg-success/10 text-success",
  warning: "border-warning/40 bg-warning/10 text-warning",
  danger: "border-danger/40 bg-danger/10 text-danger",
  info: "border-accent/30 bg-accent/10 text-accent-strong",
} as const;

export type BadgeTone = keyof typeof TONES;

/** Book statuses in colour; the text is always the status itself, so colour is never the only cue. */
export const BOOK_STATUS_TONE: Record<BookStatus, BadgeTone> = {
  DRAFT: "info",
  ACTIVE: "success",
  PAUSED: "warning",
  EXPIRED: "danger",
  ARCHIVED: "neutral",
};

export function Badge({ tone = "neutral", children, className }: { tone?: BadgeTone; children: ReactNode; className?: string }) {
  return <span className={cx("inline-block rounded-full border px-2 py-0.5 text-xs font-medium", TONES[tone], className)}>{children}</span>;
}

export function BookStatusBadge({ status }: { status: BookStatus }) {
  return <Badge tone={BOOK_STATUS_TONE[status]}>{status}</Badge>;
}
