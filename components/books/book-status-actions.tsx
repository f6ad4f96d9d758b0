"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { queryKeys } from "@/components/query-keys";
import type { BookStatus } from "@/components/ui/badge";
import { Button, type ButtonVariant } from "@/components/ui/button";
import { Dialog, DialogClose } from "@/components/ui/dialog";
import { toast } from "@/components/ui/toaster";

/** The status server action, passed down by the page (components never import app/); its answer as the form reads it. */
type SetStatus = (input: { bookId: string; status: BookStatus }) => Promise<{ ok: true } | { ok: false; error: string }>;

const LABELS: Record<BookStatus, { verb: string; done: string; variant: ButtonVariant }> = {
  ACTIVE: { verb: "Activate", done: "Book activated", variant: "primary" },
  PAUSED: { verb: "Pause", done: "Book paused", variant: "secondary" },
  ARCHIVED: { verb: "Archive", done: "Book archived", variant: "danger" },
  DRAFT: { verb: "Back to draft", done: "Book back to draft", variant: "secondary" },
  EXPIRED: { verb: "Expire", done: "Book expired", variant: "secondary" },
};

/**
 * The book's status buttons: only the transitions the server allows this caller (the page computes
 * them with the service's own rule), archive behind a confirmation. The server action answers
 * refusals as data; the page re-renders from the server after a change.
 */
export function BookStatusActions({ bookId, bookName, status, allowed, setStatus }: { bookId: string; bookName: string; status: BookStatus; allowed: BookStatus[]; setStatus: SetStatus }) {
  const router = useRouter();
  const queryClient = useQueryClient();
  const [pendingStatus, setPendingStatus] = useState<BookStatus | null>(null);
  const [confirmOpen, setConfirmOpen] = useState(false);
  const [, startTransition] = useTransition();

  async function change(to: BookStatus) {
    setPendingStatus(to);
    try {
      const result = await setStatus({ bookId, status: to });
      if (result.ok) {
        toast.success(to === "ACTIVE" && status === "PAUSED" ? "Book resumed" : LABELS[to].done);
        setConfirmOpen(false);
        await queryClient.invalidateQueries({ queryKey: queryKeys.books.detail(bookId) });
        await queryClient.invalidateQueries({ queryKey: queryKeys.books.all });
        startTransition(() => router.refresh());
      } else {
        toast.error(result.error);
        // The refusal usually means the book changed elsewhere (archived in another tab, paused by ops): show it as it is now.
        startTransition(() => router.refresh());
      }
    } catch {
      toast.error("Could not reach the server; try again");
    } finally {
      setPendingStatus(null);
    }
  }

  if (allowed.length === 0) return null;
  return (
    <div className="flex flex-wrap gap-2" role="group" aria-label="Book status">
      {allowed
        .filter((to) => to !== "ARCHIVED")
        .map((to) => (
          <Button key={to} variant={LABELS[to].variant} pending={pendingStatus === to} disabled={pendingStatus !== null} onClick={() => void change(to)}>
            {to === "ACTIVE" && status === "PAUSED" ? "Resume" : LABELS[to].verb}
          </Button>
        ))}
      {allowed.includes("ARCHIVED") ? (
        <Dialog
          title="Archive this book?"
          description={`“${bookName}” stops handing out and accepting codes for good: an archived book cannot be activated again.`}
          open={confirmOpen}
          onOpenChange={setConfirmOpen}
          trigger={
            <Button variant="danger" disabled={pendingStatus !== null}>
              Archive
            </Button>
          }
        >
          <div className="flex flex-wrap justify-end gap-2">
            <DialogClose asChild>
              <Button variant="secondary">Cancel</Button>
            </DialogClose>
            <Button variant="danger" pending={pendingStatus === "ARCHIVED"} onClick={() => void change("ARCHIVED")}>
              Archive book
            </Button>
          </div>
        </Dialog>
      ) : null}
    </div>
  );
}
