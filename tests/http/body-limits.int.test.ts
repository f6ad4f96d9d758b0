import { describe, expect, it } from "vitest";
import { POST as uploadRoute } from "@/app/api/coupon-codes/upload/route";
import { POST as releaseRoute } from "@/app/api/internal/promo/release/route";
import { activeBook, businessWithKey } from "@/testing/fixtures";
import { call } from "@/testing/http";
import { internal } from "@/testing/promo-api";

const LIMIT = 1024 * 1024;
const CHUNK = 64 * 1024;

/** A body of up to 200 MB, produced only as it is pulled: how far the server read it is on record. */
function endlessBody() {
  const seen = { pulls: 0, cancelled: false };
  const chunk = new TextEncoder().encode(`{"checkoutId":"${"x".repeat(CHUNK - 20)}`);
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      seen.pulls++;
      if (seen.pulls * CHUNK > 200 * 1024 * 1024) controller.close();
      else controller.enqueue(chunk);
    },
    cancel() {
      seen.cancelled = true;
    },
  });
  return { stream, seen };
}

const post = (body: ReadableStream<Uint8Array>, headers: Record<string, string> = {}) =>
  new Request("http://localhost/api/internal/promo/release", {
    method: "POST",
    headers: { authorization: `Bearer ${internal().token}`, "content-type": "application/json", ...headers },
    body,
    duplex: "half",
  } as RequestInit);

describe("JSON bodies stop at the limit (issue 10)", () => {
  it("a streamed body without Content-Length is cut at the first chunk past 1 MiB: 413, the stream cancelled", async () => {
    const { stream, seen } = endlessBody();
    const res = await releaseRoute(post(stream), { params: Promise.resolve({}) });
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ code: "PAYLOAD_TOO_LARGE" });
    expect(seen.cancelled).toBe(true);
    // 16 chunks make the limit; the stream's own read-ahead may add one or two.
    expect(seen.pulls).toBeLessThanOrEqual(LIMIT / CHUNK + 3);
  });

  it("a declared Content-Length over the limit is refused before a byte is read", async () => {
    const { stream, seen } = endlessBody();
    const res = await releaseRoute(post(stream, { "content-length": String(200 * 1024 * 1024) }), { params: Promise.resolve({}) });
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ code: "PAYLOAD_TOO_LARGE" });
    expect(seen.pulls).toBeLessThanOrEqual(1); // the stream's initial read-ahead only
  });

  it("a body just under the limit is read in full", async () => {
    const body = JSON.stringify({ checkoutId: "c-1", padding: "x".repeat(LIMIT - 100) });
    const res = await call(releaseRoute, { path: "/api/internal/promo/release", body, headers: { "content-type": "application/json" }, ...internal() });
    expect(res.status).toBeLessThan(413);
  });
});

describe("uploads with a NUL (issue 10)", () => {
  it("a CSV row with a NUL is an invalid row with its line number, also when the report is stored for an Idempotency-Key", async () => {
    const { businessId, token } = await businessWithKey();
    const book = await activeBook(businessId, { codes: 0, overrides: { status: "DRAFT" } });
    const form = new FormData();
    form.set("couponBookId", book.id);
    form.set("file", new Blob(["code\nGOOD-0001\nBAD\u0000-0002\nGOOD-0003,valid\u0000\n"]), "codes.csv");
    const res = await call(uploadRoute, { path: "/api/coupon-codes/upload", token, body: form, headers: { "idempotency-key": "nul-upload" } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ uploadedCount: 1, invalidRowsCount: 2 });
    expect(res.body.errors.map((e: { row: number; error: string }) => [e.row, e.error])).toEqual([
      [3, "row contains a NUL character"],
      [4, "row contains a NUL character"],
    ]);
    expect(JSON.stringify(res.body)).not.toContain("\\u0000");
  });

  it("a couponBookId field or query value with a NUL is a 400", async () => {
    const { businessId, token } = await businessWithKey();
    const book = await activeBook(businessId, { codes: 0, overrides: { status: "DRAFT" } });
    const form = new FormData();
    form.set("couponBookId", `${book.id}\u0000`);
    form.set("file", new Blob(["CODE-0001\n"]), "codes.csv");
    const field = await call(uploadRoute, { path: "/api/coupon-codes/upload", token, body: form });
    expect(field.status).toBe(400);
    expect(field.body).toMatchObject({ code: "VALIDATION_ERROR" });
    const query = await call(uploadRoute, { path: `/api/coupon-codes/upload?couponBookId=${book.id}%00`, token, body: new FormData() });
    expect(query.status).toBe(400);
    expect(query.body).toMatchObject({ code: "VALIDATION_ERROR" });
  });
});
