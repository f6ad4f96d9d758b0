"use client";

import * as RadixDialog from "@radix-ui/react-dialog";
import type { ReactNode } from "react";

/**
 * A modal dialog on Radix (focus trap, Escape, focus returned to the trigger, aria-labelledby and
 * aria-describedby wired from the title and description). `trigger` is the element that opens it
 * (rendered as is through `asChild`); or control it with `open` / `onOpenChange`.
 */
export function Dialog({
  title,
  description,
  trigger,
  open,
  onOpenChange,
  children,
}: {
  title: string;
  description: string;
  trigger?: ReactNode;
  open?: boolean;
  onOpenChange?: (open: boolean) => void;
  children: ReactNode;
}) {
  return (
    <RadixDialog.Root open={open} onOpenChange={onOpenChange}>
      {trigger ? <RadixDialog.Trigger asChild>{trigger}</RadixDialog.Trigger> : null}
      <RadixDialog.Portal>
        <RadixDialog.Overlay className="fixed inset-0 z-40 bg-fg/40" />
        <RadixDialog.Content className="fixed top-1/2 left-1/2 z-50 max-h-[90vh] w-[calc(100vw-2rem)] max-w-lg -translate-x-1/2 -translate-y-1/2 overflow-y-auto rounded-lg bg-white p-6 shadow-lg focus-visible:outline-none">
          <RadixDialog.Title className="text-lg font-semibold">{title}</RadixDialog.Title>
          <RadixDialog.Description className="mt-1 text-sm text-muted">{description}</RadixDialog.Description>
          <div className="mt-4">{children}</div>
          <RadixDialog.Close className="absolute top-3 right-3 rounded-md px-2 py-1 text-muted hover:bg-panel focus-visible:outline-2 focus-visible:outline-accent" aria-label="Close">
            ×
          </RadixDialog.Close>
        </RadixDialog.Content>
      </RadixDialog.Portal>
    </RadixDialog.Root>
  );
}

/** Closes the surrounding dialog (wrap a Cancel button: `<DialogClose asChild><Button>…`). */
export const DialogClose = RadixDialog.Close;
