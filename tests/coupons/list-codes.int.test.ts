import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { PATCH as patchBookRoute } from "@/app/api/coupon-books/[id]/route";
import { POST as createBookRoute } from "@/app/api/coupon-books/route";
import { GET as listRoute } from "@/app/api/coupon-codes/book/[bookId]/route";
import { POST as generateRoute } from "@/app/api/coupon-codes/generate/route";
import { POST as uploadRoute } from "@/app/api/coupon-codes/upload/route";
import { db } from "@/db/client";
import { couponCodes } from "@/db/schema";
import { assignCode, assignRandom } from "@/testing/coupon-api";
import { activeBook, businessWithKey } from "@/testing/fixtures";
import { call, sessionCookie } from "@/testing/http";

const list = (who: { token?: string; cookie?: string }, bookId: string, query = "") =>
  call(listRoute, { path: `/api/coupon-codes/book/${bookId}${query}`, params: { bookId }, ...who });

type Row = { id: string; code: string; status: string; isAssigned: boolean; createdAt: string };

describe("GET /api/coupon-codes/book/:bookId", () => {
  it("pages through a book's codes newest first (created_at desc, code asc) with the list envelope", async () => {
    const { token } = await businessWithKey();
    const book = (await call(createBookRoute, { path: "/api/coupon-books", token, body: { name: "Listed" } })).body;
    await call(generateRoute, { path: "/api/coupon-codes/generate", token, body: { couponBookId: book.id, quantity: 30, pattern: "OLD-{XXXXX}" } });
    const data = new FormData();
    data.set("couponBookId", book.id);
    data.set("file", new Blob(["NEW-C\nNEW-A\nNEW-B,disabled\n"]), "codes.csv");
    await call(uploadRoute, { path: "/api/coupon-codes/upload", token, body: data });

    const first = await list({ token }, book.id, "?limit=5");
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ total: 33, limit: 5, offset: 0 });
    const rows: Row[] = first.body.data;
    expect(rows.map((r) => r.code)).toEqual(["NEW-A", "NEW-B", "NEW-C", ...rows.slice(3).map((r) => r.code)]);
    expect(rows[0]).toEqual({ id: expect.any(String), code: "NEW-A", status: "AVAILABLE", isAssigned: false, createdAt: expect.any(String) });
    expect(Object.keys(rows[0]!).sort()).toEqual(["code", "createdAt", "id", "isAssigned", "status"]);
    expect(rows[3]!.code.startsWith("OLD-")).toBe(true);

    const all: Row[] = [];
    for (let offset = 0; offset < 33; offset += 10) all.push(...(await list({ token }, book.id, `?limit=10&offset=${offset}`)).body.data);
    expect(all).toHaveLength(33);
    expect(new Set(all.map((r) => r.id)).size).toBe(33);
    const old = all.slice(3).map((r) => r.code);
    expect(old).toEqual([...old].sort());
    expect(Date.parse(all[0]!.createdAt)).toBeGreaterThan(Date.parse(all[32]!.createdAt));
  });

  it("filters by status and clamps limit and offset instead of failing", async () => {
    const { token, businessId } = await businessWithKey();
    const book = await activeBook(businessId, { codes: 12 });
    await assignRandom({ token }, { couponBookId: book.id, userId: "user-1" });
    await db.update(couponCodes).set({ status: "DISABLED" }).where(eq(couponCodes.code, (await list({ token }, book.id, "?status=AVAILABLE&limit=1")).body.data[0].code));

    const assigned = await list({ token }, book.id, "?status=ASSIGNED");
    expect(assigned.body.total).toBe(1);
    expect(assigned.body.data[0]).toMatchObject({ status: "ASSIGNED", isAssigned: true });
    expect((await list({ token }, book.id, "?status=DISABLED")).body.total).toBe(1);
    const available = await list({ token }, book.id, "?status=AVAILABLE");
    expect(available.body.total).toBe(10);
    expect(available.body.data).toHaveLength(10);
    expect(available.body.data.every((r: Row) => r.status === "AVAILABLE" && !r.isAssigned)).toBe(true);

    const clamped = await list({ token }, book.id, "?limit=5000&offset=-4");
    expect(clamped.body).toMatchObject({ limit: 1000, offset: 0, total: 12 });
    expect(clamped.body.data).toHaveLength(12);
    expect((await list({ token }, book.id, "?limit=0")).body.limit).toBe(1);
    expect((await list({ token }, book.id, "?limit=abc&offset=xyz")).body).toMatchObject({ limit: 50, offset: 0 });
    expect((await list({ token }, book.id, "?offset=100")).body).toMatchObject({ data: [], total: 12 });
    expect((await list({ token }, book.id, "?status=REDEEMED")).status).toBe(400);
  });

  it("marks a GENERIC book's public code as assigned once someone holds it", async () => {
    const { token } = await businessWithKey();
    const book = (await call(createBookRoute, { path: "/api/coupon-books", token, body: { name: "Public", codeKind: "GENERIC", code: "WELCOME10" } })).body;
    expect((await list({ token }, book.id)).body.data[0]).toMatchObject({ code: "WELCOME10", status: "AVAILABLE", isAssigned: false });
    await call(patchBookRoute, { method: "PATCH", path: `/api/coupon-books/${book.id}`, params: { id: book.id }, token, body: { status: "ACTIVE" } });
    const assigned = await assignCode({ token }, "WELCOME10", { userId: "user-1" });
    expect(assigned.status).toBe(201);
    expect((await list({ token }, book.id)).body.data[0]).toMatchObject({ code: "WELCOME10", status: "AVAILABLE", isAssigned: true });
  });

  it("answers 404 for another business's book, 400 for a malformed id, 401/403 for the wrong caller", async () => {
    const a = await businessWithKey();
    const b = await businessWithKey();
    const book = await activeBook(a.businessId, { codes: 2 });
    const foreign = await list({ token: b.token }, book.id);
    expect(foreign.status).toBe(404);
    expect(foreign.body.code).toBe("BOOK_NOT_FOUND");
    expect((await list({ token: a.token }, "nope")).status).toBe(400);
    expect((await list({}, book.id)).status).toBe(401);
    expect((await list({ cookie: await sessionCookie({ uid: "s", role: "shopper" }) }, book.id)).status).toBe(403);
    const seller = await sessionCookie({ uid: "seller-1", role: "seller", businessId: a.businessId });
    expect((await list({ cookie: seller }, book.id)).body.total).toBe(2);
    expect((await list({ cookie: await sessionCookie({ uid: "ops-1", role: "ops" }) }, book.id)).body.total).toBe(2);
  });
});
