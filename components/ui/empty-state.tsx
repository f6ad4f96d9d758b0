import type { ReactNode } from "react";

/** What a list shows when it has nothing yet: a title, one sentence, and optionally the way to add the first item. */
export function EmptyState({ title, children, action }: { title: string; children?: ReactNode; action?: ReactNode }) {
  return (
    <div className="rounded-lg border border-dashed border-line px-6 py-10 text-center">
      <h2 className="text-lg font-semibold">{title}</h2>
      {children ? <p className="mx-auto mt-1 max-w-prose text-muted">{children}</p> : null}
      {action ? <div className="mt-4 flex justify-center">{action}</div> : null}
    </div>
  );
}
