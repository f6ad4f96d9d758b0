import { after } from "next/server";
import { loggableError } from "@/lib/errors";
import { logger } from "@/lib/log";

/** Tasks started outside a Next request (tests, scripts), which `settleAfterResponse` waits for. */
const detached = new Set<Promise<void>>();

/**
 * Runs `task` after the response has gone out (Next's `after`: on Vercel the function lives on
 * until it ends, within maxDuration). For work the caller tracks by other means (a run row it
 * polls), so a failure is logged, never thrown at a response that has already been sent. Called
 * outside a Next request (a route handler invoked by a test or a script), the task starts at once,
 * detached, the nearest thing to "after the response" a plain Node process has.
 */
export function afterResponse(name: string, task: () => Promise<unknown>) {
  const guarded = async () => {
    try {
      await task();
    } catch (error) {
      logger.error({ task: name, ...loggableError(error) }, "work after the response failed");
    }
  };
  try {
    after(guarded);
  } catch (error) {
    if (!(error instanceof Error && error.message.startsWith("`after` was called outside a request scope"))) throw error;
    const running = guarded().finally(() => detached.delete(running));
    detached.add(running);
  }
}

/** Waits for the tasks `afterResponse` started outside a request (a test before its assertions, a script before it exits). */
export async function settleAfterResponse() {
  while (detached.size > 0) await Promise.all(detached);
}
