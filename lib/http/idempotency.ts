import { createHash, type Hash } from "node:crypto";
import { and, eq, lt, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { idempotencyKeys } from "@/db/schema";
import { AppError } from "@/lib/errors";

/** A claim on a key older than this is taken to belong to a request that died. */
const STALE_CLAIM = sql`now() - interval '5 minutes'`;

export type Claim =
  | { kind: "claimed" }
  | { kind: "replay"; requestHash: string | null; status: number; body: unknown };

/** Claims (scope, key) for this request, or returns the stored outcome of the first one. */
export async function claimIdempotencyKey(db: DbOrTx, scope: string, key: string): Promise<Claim> {
  await db
    .delete(idempotencyKeys)
    .where(
      and(
        eq(idempotencyKeys.scope, scope),
        eq(idempotencyKeys.key, key),
        sql`${idempotencyKeys.completedAt} is null`,
        lt(idempotencyKeys.createdAt, STALE_CLAIM),
      ),
    );
  const inserted = await db.insert(idempotencyKeys).values({ scope, key }).onConflictDoNothing().returning();
  if (inserted.length > 0) return { kind: "claimed" };
  const [existing] = await db
    .select()
    .from(idempotencyKeys)
    .where(and(eq(idempotencyKeys.scope, scope), eq(idempotencyKeys.key, key)));
  if (!existing || existing.completedAt === null || existing.responseStatus === null) {
    throw new AppError("IDEMPOTENCY_KEY_IN_USE", "A request with this Idempotency-Key is still in progress");
  }
  return { kind: "replay", requestHash: existing.requestHash, status: existing.responseStatus, body: existing.responseBody };
}

export async function completeIdempotencyKey(
  db: DbOrTx,
  scope: string,
  key: string,
  outcome: { requestHash: string; status: number; body: unknown },
) {
  await db
    .update(idempotencyKeys)
    .set({ requestHash: outcome.requestHash, responseStatus: outcome.status, responseBody: outcome.body, completedAt: sql`now()` })
    .where(and(eq(idempotencyKeys.scope, scope), eq(idempotencyKeys.key, key)));
}

/** A failed request frees its key so that the client's retry runs for real. */
export async function releaseIdempotencyKey(db: DbOrTx, scope: string, key: string) {
  await db
    .delete(idempotencyKeys)
    .where(and(eq(idempotencyKeys.scope, scope), eq(idempotencyKeys.key, key), sql`${idempotencyKeys.completedAt} is null`));
}

/** Passes a request body through SHA-256 as it is read, without buffering it. */
export function hashingBody(request: Request): { request: Request; digest: () => string } {
  const hash: Hash = createHash("sha256");
  if (!request.body) {
    return { request, digest: () => hash.digest("hex") };
  }
  const tap = new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, controller) {
      hash.update(chunk);
      controller.enqueue(chunk);
    },
  });
  const body = request.body.pipeThrough(tap);
  let digest: string | undefined;
  return {
    request: new Request(request, { body, duplex: "half" } as RequestInit),
    digest: () => (digest ??= hash.digest("hex")),
  };
}
