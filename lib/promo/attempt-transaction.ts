import type { Db, Tx } from "@/db/client";
import { isShopper, type Actor } from "@/lib/auth/actor";
import type { AppError } from "@/lib/errors";
import type { RequestMeta } from "@/lib/request-meta";
import { recordAttempt, type AttemptInput } from "./attempts";
import { refusalOf, type Refusal } from "./promo-results";

/** Who tried which code, for the attempt row: everything but the outcome. */
export type AttemptCall = Omit<AttemptInput, "book" | "result" | "reason">;

/** Filled in by the work as it learns it, so a refusal can still be attributed to the code's book. */
export interface AttemptTrace {
  book?: AttemptInput["book"];
}

/** What the work returns when the code was accepted: its answer, and the reason the attempt row gets. */
export interface AcceptedWork<T> {
  value: T;
  book: NonNullable<AttemptInput["book"]>;
  reason: string;
}

/**
 * Records the accepted attempt inside the work's transaction, for work that sends it together with
 * its last writes: queries issued together on the transaction's connection are pipelined by
 * postgres.js, so they cost one round trip. If the work is then refused after all, the row rolls
 * back with it and the refusal's row is written instead. Work that never calls it gets the row
 * written after it returns.
 */
export type AcceptAttempt = (book: AcceptedWork<unknown>["book"], reason: string) => Promise<void>;

export type AttemptOutcome<T> = { accepted: true; value: T } | { accepted: false; refusal: Refusal; error: AppError };

/** Carries an accepted answer out of a transaction that must not commit (a quote). */
class RolledBack<T> extends Error {
  constructor(readonly work: AcceptedWork<T>) {
    super("rolled back on purpose");
  }
}

/**
 * Runs one use of a code in a transaction and writes its promo_attempts row, whichever way it ends:
 * an accepted use in its own transaction (the row commits with it); a refusal (an AppError that
 * refusalOf maps to a promo result) after the rollback, so a refused call still leaves its attempt;
 * a quote (`rollback`) after rolling its accepted work back. The one mechanism of every surface
 * that takes a shopper's code: the internal redeem, validate, and the public lock and redeem.
 * Errors that are not refusals (validation, conflicts, failures) write nothing and are rethrown.
 */
export async function attemptTransaction<T>(
  db: Db,
  call: AttemptCall,
  work: (tx: Tx, trace: AttemptTrace, accept: AcceptAttempt) => Promise<AcceptedWork<T>>,
  options: { rollback?: boolean } = {},
): Promise<AttemptOutcome<T>> {
  const trace: AttemptTrace = {};
  try {
    const value = await db.transaction(async (tx) => {
      let recorded = false;
      // A quote records nothing in its transaction: its row is written after the rollback.
      const accept: AcceptAttempt = async (book, reason) => {
        if (options.rollback) return;
        recorded = true;
        await recordAttempt(tx, { ...call, book, result: "ACCEPTED", reason });
      };
      const done = await work(tx, trace, accept);
      if (options.rollback) throw new RolledBack(done);
      if (!recorded) await recordAttempt(tx, { ...call, book: done.book, result: "ACCEPTED", reason: done.reason });
      return done.value;
    });
    return { accepted: true, value };
  } catch (error) {
    if (error instanceof RolledBack) {
      const done = (error as RolledBack<T>).work;
      await recordAttempt(db, { ...call, book: done.book, result: "ACCEPTED", reason: done.reason });
      return { accepted: true, value: done.value };
    }
    const refusal = refusalOf(error);
    if (!refusal) throw error;
    await recordAttempt(db, { ...call, book: trace.book ?? null, ...refusal });
    return { accepted: false, refusal, error: error as AppError };
  }
}

/** The answer of a surface that reports refusals as errors (the public lock and redeem): the value, or the refusal thrown again. */
export function acceptedOrThrow<T>(outcome: AttemptOutcome<T>): T {
  if (!outcome.accepted) throw outcome.error;
  return outcome.value;
}

/**
 * The shopper's ip for the attempt row: a shopper session's own; none for a service calling for a
 * shopper (an API key, the internal token, a seller or ops), whose address is its own and not the
 * shopper's (the internal redeem's body `ip` is the exception, passed by its caller).
 */
export const attemptIp = (actor: Actor, meta: RequestMeta) => (isShopper(actor) ? meta.ip : null);
