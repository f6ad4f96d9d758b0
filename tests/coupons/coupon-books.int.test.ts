import { describe, expect, it } from "vitest";
import { GET as getOne, PATCH, PUT } from "@/app/api/coupon-books/[id]/route";
import { GET as list, POST as create } from "@/app/api/coupon-books/route";
import { POST as generate } from "@/app/api/coupon-codes/generate/route";
import { db } from "@/db/client";
import { redemptionAudit } from "@/db/schema";
import { businessWithKey } from "@/testing/fixtures";
import { call, sessionCookie, testUserId } from "@/testing/http";
import { eq } from "drizzle-orm";

const future = new Date(Date.now() + 30 * 86_400_000).toISOString();

async function createBook(token: string, body: Record<string, unknown> = {}) {
  return call(create, { path: "/api/coupon-books", token, body: { name: "Verano 2026", ...body } });
}

describe("coupon books API", () => {
  it("creates a DRAFT book with the seed's shape and defaults", async () => {
    const { token, businessId } = await businessWithKey();
    const res = await createBook(token, { description: "20% off", maxCodesPerUser: 2, totalCodesExpected: 1000, expiresAt: future });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      businessId,
      name: "Verano 2026",
      status: "DRAFT",
      generatedCount: 0,
      maxCodesPerUser: 2,
      maxRedeemsPerUser: 1,
      isActive: false,
      isExpired: false,
      codeKind: "UNIQUE",
      lockTtlSeconds: 300,
    });
    const audit = await db.select().from(redemptionAudit).where(eq(redemptionAudit.bookId, res.body.id));
    expect(audit.map((a) => a.action)).toEqual(["CREATE_BOOK"]);
  });

  it("answers 401 without a key, before reading the body", async () => {
    const res = await call(create, { path: "/api/coupon-books", body: "{not json" });
    expect(res.status).toBe(401);
    expect(res.body.code).toBe("UNAUTHORIZED");
    const bad = await call(create, { path: "/api/coupon-books", token: "cpk_aaaaaaaaaaaa_bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb", body: {} });
    expect(bad.status).toBe(401);
  });

  it("rejects malformed JSON, wrong types and a past expiresAt with 400", async () => {
    const { token } = await businessWithKey();
    const malformed = await call(create, { path: "/api/coupon-books", token, body: "{nope" });
    expect(malformed.status).toBe(400);
    expect(malformed.body.code).toBe("INVALID_JSON");
    const wrong = await createBook(token, { name: "", maxCodesPerUser: "two" });
    expect(wrong.status).toBe(400);
    expect(wrong.body.code).toBe("VALIDATION_ERROR");
    expect(wrong.body.details.map((d: { path: string[] }) => d.path[0]).sort()).toEqual(["maxCodesPerUser", "name"]);
    const past = await createBook(token, { expiresAt: "2020-01-01T00:00:00Z" });
    expect(past.status).toBe(400);
    const percent = await createBook(token, { discountType: "PERCENT", discountValue: 150 });
    expect(percent.status).toBe(400);
  });

  it("takes businessId from the key; naming another business is 403", async () => {
    const a = await businessWithKey();
    const b = await businessWithKey();
    expect((await createBook(a.token, { businessId: a.businessId })).status).toBe(201);
    const res = await createBook(a.token, { businessId: b.businessId });
    expect(res.status).toBe(403);
  });

  it("keeps each business's books to itself", async () => {
    const a = await businessWithKey();
    const b = await businessWithKey();
    const book = (await createBook(a.token)).body;
    const read = await call(getOne, { path: `/api/coupon-books/${book.id}`, params: { id: book.id }, token: b.token });
    expect(read.status).toBe(404);
    const write = await call(PATCH, { method: "PATCH", path: `/api/coupon-books/${book.id}`, params: { id: book.id }, token: b.token, body: { name: "x" } });
    expect(write.status).toBe(404);
    const listed = await call(list, { path: "/api/coupon-books", token: b.token });
    expect(listed.body.total).toBe(0);
    const mine = await call(getOne, { path: `/api/coupon-books/${book.id}`, params: { id: book.id }, token: a.token });
    expect(mine.status).toBe(200);
    const badId = await call(getOne, { path: "/api/coupon-books/nope", params: { id: "nope" }, token: a.token });
    expect(badId.status).toBe(400);
  });

  it("lists newest first with filters and a clamped limit", async () => {
    const { token } = await businessWithKey();
    for (const name of ["one", "two", "three"]) await createBook(token, { name });
    const res = await call(list, { path: "/api/coupon-books?limit=5000&offset=-3", token });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ total: 3, limit: 1000, offset: 0 });
    expect(res.body.data.map((b: { name: string }) => b.name)).toEqual(["three", "two", "one"]);
    const page = await call(list, { path: "/api/coupon-books?limit=0&offset=1", token });
    expect(page.body).toMatchObject({ limit: 1, offset: 1 });
    expect(page.body.data[0].name).toBe("two");
    const filtered = await call(list, { path: "/api/coupon-books?status=ACTIVE", token });
    expect(filtered.body.total).toBe(0);
    const bad = await call(list, { path: "/api/coupon-books?status=NOPE", token });
    expect(bad.status).toBe(400);
  });

  it("moves through DRAFT → ACTIVE ⇄ PAUSED → ARCHIVED with partial PUT/PATCH bodies", async () => {
    const { token } = await businessWithKey();
    const book = (await createBook(token, { maxCodesPerUser: 2 })).body;
    const put = (body: unknown) => call(PUT, { method: "PUT", path: `/api/coupon-books/${book.id}`, params: { id: book.id }, token, body });

    const empty = await put({ status: "ACTIVE" });
    expect(empty.status).toBe(409);
    expect(empty.body.code).toBe("NO_CODES");

    await call(generate, { path: "/api/coupon-codes/generate", token, body: { couponBookId: book.id, quantity: 5, pattern: "S-{XXXXXX}" } });
    const active = await put({ status: "ACTIVE" });
    expect(active.status).toBe(200);
    expect(active.body).toMatchObject({ status: "ACTIVE", isActive: true, generatedCount: 5, maxCodesPerUser: 2 });

    expect((await put({ status: "DRAFT" })).body.code).toBe("INVALID_STATUS_TRANSITION");
    expect((await put({ status: "PAUSED" })).body.status).toBe("PAUSED");
    expect((await put({ status: "ACTIVE", maxCodesPerUser: 3 })).body).toMatchObject({ status: "ACTIVE", maxCodesPerUser: 3, name: "Verano 2026" });
    const closed = await put({ status: "CLOSED" });
    expect(closed.body.status).toBe("ARCHIVED");
    expect((await put({ status: "ACTIVE" })).status).toBe(409);
  });

  it("does not let a seller resume a book paused by ops", async () => {
    const { token, businessId } = await businessWithKey();
    const book = (await createBook(token)).body;
    await call(generate, { path: "/api/coupon-codes/generate", token, body: { couponBookId: book.id, quantity: 1, pattern: "S-{XXXXXX}" } });
    const path = `/api/coupon-books/${book.id}`;
    await call(PUT, { method: "PUT", path, params: { id: book.id }, token, body: { status: "ACTIVE" } });
    const ops = await sessionCookie({ uid: "ops-1", role: "ops" });
    const paused = await call(PUT, { method: "PUT", path, params: { id: book.id }, cookie: ops, body: { status: "PAUSED" } });
    expect(paused.body.pausedBy).toBe(`ops:${testUserId("ops-1")}`);
    const seller = await sessionCookie({ uid: "seller-1", role: "seller", businessId });
    const resumed = await call(PUT, { method: "PUT", path, params: { id: book.id }, cookie: seller, body: { status: "ACTIVE" } });
    expect(resumed.status).toBe(403);
    expect(resumed.body.code).toBe("PAUSED_BY_OPS");
    const byOps = await call(PUT, { method: "PUT", path, params: { id: book.id }, cookie: ops, body: { status: "ACTIVE" } });
    expect(byOps.body.status).toBe("ACTIVE");
  });

  it("creates a GENERIC book with its public code, unique within the business", async () => {
    const a = await businessWithKey();
    const b = await businessWithKey();
    const res = await createBook(a.token, { codeKind: "GENERIC", code: " welcome10 " });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ codeKind: "GENERIC", code: "WELCOME10", generatedCount: 1 });
    expect((await createBook(a.token, { codeKind: "GENERIC", code: "WELCOME10" })).status).toBe(409);
    expect((await createBook(b.token, { codeKind: "GENERIC", code: "WELCOME10" })).status).toBe(201);
    expect((await createBook(a.token, { codeKind: "GENERIC" })).status).toBe(400);
  });

  it("replays a create sent again with the same Idempotency-Key; another body is 422", async () => {
    const { token } = await businessWithKey();
    const headers = { "idempotency-key": "create-1" };
    const first = await call(create, { path: "/api/coupon-books", token, headers, body: { name: "Once" } });
    const again = await call(create, { path: "/api/coupon-books", token, headers, body: { name: "Once" } });
    expect(again.status).toBe(201);
    expect(again.body.id).toBe(first.body.id);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    const other = await call(create, { path: "/api/coupon-books", token, headers, body: { name: "Twice" } });
    expect(other.status).toBe(422);
    expect(other.body.code).toBe("IDEMPOTENCY_KEY_REUSED");
    expect((await call(list, { path: "/api/coupon-books", token })).body.total).toBe(1);
  });

  it("refuses shoppers", async () => {
    const cookie = await sessionCookie({ uid: "shopper-1", role: "shopper" });
    expect((await call(list, { path: "/api/coupon-books", cookie })).status).toBe(403);
  });
});
