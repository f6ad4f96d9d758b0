import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { POST as startRoute } from "@/app/api/coupon-codes/generation-runs/route";
import { GET as runRoute } from "@/app/api/coupon-codes/generation-runs/[runId]/route";
import { db } from "@/db/client";
import { codeGenerationRuns } from "@/db/schema";
import { GENERATION_CHUNK, generateNextChunk } from "@/lib/coupons/generation-runs";
import { settleAfterResponse } from "@/lib/after-response";
import { codesOf } from "@/testing/coupon-api";
import { activeBook, businessWithKey } from "@/testing/fixtures";
import { call } from "@/testing/http";

const start = (token: string, body: unknown) => call(startRoute, { path: "/api/coupon-codes/generation-runs", token, body });
const poll = (token: string, runId: string) => call(runRoute, { method: "GET", path: `/api/coupon-codes/generation-runs/${runId}`, token, params: { runId } });

async function draftBook() {
  const owner = await businessWithKey();
  const book = await activeBook(owner.businessId, { codes: 0, overrides: { status: "DRAFT" } });
  return { owner, book };
}

describe("POST /api/coupon-codes/generation-runs and GET …/{runId}", () => {
  it("answers 202 with the queued run at once; the run goes on after the response and its poll shows it done", async () => {
    const { owner, book } = await draftBook();
    const started = await start(owner.token, { couponBookId: book.id, quantity: 1_500, pattern: "HTTP-{XXXXXXXX}" });
    expect(started.status).toBe(202);
    expect(started.body).toMatchObject({ couponBookId: book.id, quantity: 1_500, pattern: "HTTP-{XXXXXXXX}", status: "QUEUED", generated: 0 });
    await settleAfterResponse();
    const polled = await poll(owner.token, started.body.id as string);
    expect(polled.status).toBe(200);
    expect(polled.body).toMatchObject({ status: "SUCCEEDED", generated: 1_500, error: null });
    expect(polled.body.finishedAt).toEqual(expect.any(String));
    expect(await codesOf(book.id)).toHaveLength(1_500);
  });

  it("a poll of a run whose worker is gone resumes it", async () => {
    const { owner, book } = await draftBook();
    const started = await start(owner.token, { couponBookId: book.id, quantity: GENERATION_CHUNK + 10, pattern: "P-{XXXXXXXX}", requestKey: "k1" });
    await settleAfterResponse();
    // Back to a run stopped after its first chunk, whose worker's lease ran out.
    const runId = started.body.id as string;
    await db.execute(sql`delete from coupon_codes where book_id = ${book.id}`);
    await db.execute(sql`update coupon_books set generated_count = 0 where id = ${book.id}`);
    await db.update(codeGenerationRuns).set({ status: "QUEUED", generated: 0, finishedAt: null }).where(eq(codeGenerationRuns.id, runId));
    await generateNextChunk(db, runId);
    await db.update(codeGenerationRuns).set({ leaseUntil: sql`now() - interval '1 second'` }).where(eq(codeGenerationRuns.id, runId));

    expect((await poll(owner.token, runId)).body).toMatchObject({ status: "RUNNING", generated: GENERATION_CHUNK });
    await settleAfterResponse();
    expect((await poll(owner.token, runId)).body).toMatchObject({ status: "SUCCEEDED", generated: GENERATION_CHUNK + 10 });
    expect(await codesOf(book.id)).toHaveLength(GENERATION_CHUNK + 10);
  });

  it("refuses bad input with 400, a reused requestKey with 422, and another business's run with 404", async () => {
    const { owner, book } = await draftBook();
    const stranger = await businessWithKey();
    expect((await start(owner.token, { couponBookId: book.id, quantity: "many", pattern: "B-{XXXXXXXX}" })).status).toBe(400);
    expect((await start(owner.token, { couponBookId: book.id, quantity: 0, pattern: "B-{XXXXXXXX}" })).status).toBe(400);
    expect((await start(owner.token, { couponBookId: book.id, quantity: 5, pattern: "B-{XXXXXXXX}", requestKey: "" })).status).toBe(400);
    expect((await start(owner.token, { couponBookId: book.id, quantity: 5, pattern: "B-{X}" })).body).toMatchObject({ code: "PATTERN_TOO_GUESSABLE" });
    const first = await start(owner.token, { couponBookId: book.id, quantity: 5, pattern: "B-{XXXXXXXX}", requestKey: "same" });
    expect((await start(owner.token, { couponBookId: book.id, quantity: 5, pattern: "B-{XXXXXXXX}", requestKey: "same" })).body.id).toBe(first.body.id);
    const reused = await start(owner.token, { couponBookId: book.id, quantity: 6, pattern: "B-{XXXXXXXX}", requestKey: "same" });
    expect(reused).toMatchObject({ status: 422, body: { code: "IDEMPOTENCY_KEY_REUSED" } });
    expect((await poll(owner.token, "not-a-uuid")).status).toBe(400);
    expect((await poll(stranger.token, first.body.id as string)).status).toBe(404);
    await settleAfterResponse();
    expect(await codesOf(book.id)).toHaveLength(5);
  });
});
