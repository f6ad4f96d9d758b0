"use client";

import { useQuery } from "@tanstack/react-query";
import { useEffect, useRef } from "react";
import { queryKeys } from "@/components/query-keys";
import { Alert } from "@/components/ui/alert";
import type { GenerationRunDto } from "@/lib/coupons/generation-runs";

const POLL_MS = 1000;
const count = (n: number) => n.toLocaleString("en-US");
const isFinished = (run: GenerationRunDto) => run.status === "SUCCEEDED" || run.status === "FAILED";

async function fetchRun(runId: string): Promise<GenerationRunDto> {
  const response = await fetch(`/api/coupon-codes/generation-runs/${runId}`, { headers: { accept: "application/json" }, cache: "no-store" });
  const body = await response.json().catch(() => null);
  if (!response.ok) throw new Error(body?.error ?? `The run's progress could not be read (HTTP ${response.status})`);
  return body as GenerationRunDto;
}

/**
 * A background generation's progress, polled from the API every second until it ends. The run
 * lives on the server: leaving the page stops only the polling, and the page shows it again on
 * return. `onFinished` is called once when the run ends while watched.
 */
export function GenerationRunProgress({ initial, onFinished }: { initial: GenerationRunDto; onFinished?: (run: GenerationRunDto) => void }) {
  const { data: run, error } = useQuery({
    queryKey: queryKeys.generationRuns.detail(initial.id),
    queryFn: () => fetchRun(initial.id),
    initialData: initial,
    refetchInterval: (query) => (query.state.data && isFinished(query.state.data) ? false : POLL_MS),
  });
  const reported = useRef(isFinished(initial));
  useEffect(() => {
    if (!reported.current && isFinished(run)) {
      reported.current = true;
      onFinished?.(run);
    }
  }, [run, onFinished]);

  const percent = Math.floor((run.generated / run.quantity) * 100);
  const label = `Generating ${count(run.quantity)} codes from ${run.pattern}`;
  if (run.status === "SUCCEEDED") {
    return (
      <Alert tone="info">
        Generated {count(run.generated)} codes from <code>{run.pattern}</code>.
      </Alert>
    );
  }
  if (run.status === "FAILED") {
    return (
      <Alert>
        The generation from <code>{run.pattern}</code> stopped after {count(run.generated)} of {count(run.quantity)} codes: {run.error}. The codes made before it
        stopped are in the book.
      </Alert>
    );
  }
  return (
    <div className="grid gap-1 rounded-lg border border-line bg-white p-4" data-testid="generation-run">
      <div className="flex flex-wrap items-baseline justify-between gap-x-4 text-sm">
        <span className="font-medium break-all">{label}</span>
        <span className="text-muted" aria-live="polite">
          {run.status === "QUEUED" ? "Starting…" : `${count(run.generated)} of ${count(run.quantity)} (${percent}%)`}
        </span>
      </div>
      <progress
        aria-label={label}
        max={run.quantity}
        value={run.generated}
        aria-valuenow={run.generated}
        aria-valuemin={0}
        aria-valuemax={run.quantity}
        className="h-3 w-full accent-accent"
      />
      <p className="text-sm text-muted">
        The codes are made on the server: you can leave this page, the run goes on and shows here when you come back.
        {error ? ` (${error.message}; retrying)` : null}
      </p>
    </div>
  );
}
