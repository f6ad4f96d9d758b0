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

  it("pages by keyset with after=nextCursor, across a batch that shares one created_at and the rows older than it", async () => {
    const { token } = await businessWithKey();
    const book = (await call(createBookRoute, { path: "/api/coupon-books", token, body: { name: "Keyset" } })).body;
    await call(generateRoute, { path: "/api/coupon-codes/generate", token, body: { couponBookId: book.id, quantity: 25, pattern: "KS-{XXXXX}" } });
    const data = new FormData();
    data.set("couponBookId", book.id);
    data.set("file", new Blob(["KN-B\nKN-A\n"]), "codes.csv");
    await call(uploadRoute, { path: "/api/coupon-codes/upload", token, body: data });

    const byOffset: Row[] = (await list({ token }, book.id, "?limit=100")).body.data;
    const byKeyset: Row[] = [];
    let after: string | null = null;
    for (let pages = 0; pages < 10; pages++) {
      const page = await list({ token }, book.id, `?limit=4${after ? `&after=${after}` : ""}`);
      expect(page.status).toBe(200);
      expect(page.body).toMatchObject({ total: 27, limit: 4, offset: 0 });
      byKeyset.push(...page.body.data);
      after = page.body.nextCursor;
      if (!after) break;
    }
    expect(byKeyset.map((r) => r.code)).toEqual(byOffset.map((r) => r.code));
    expect(byKeyset).toHaveLength(27);
    expect((await list({ token }, book.id, "?after=not-a-cursor")).status).toBe(400);
    // The right digits but no real instant, or an offset PostgreSQL refuses: a 400, not a cast error.
    for (const at of ["9999-99-99 99:99:99+00", "2026-02-30 10:00:00+00", "0000-01-01 00:00:00+00", "2026-12-02 02:36:08.123456+23"]) {
      const forged = Buffer.from(JSON.stringify({ at, code: "A" })).toString("base64url");
      const res = await list({ token }, book.id, `?after=${forged}`);
      expect(res.status, at).toBe(400);
      expect(res.body.code).toBe("VALIDATION_ERROR");
    }
  });

  it("searches by code prefix (normalized, in code order), with the status filter and keyset paging", async () => {
    const { token } = await businessWithKey();
    const book = (await call(createBookRoute, { path: "/api/coupon-books", token, body: { name: "Search" } })).body;
    const data = new FormData();
    data.set("couponBookId", book.id);
    data.set("file", new Blob(["PRE-C\nPRE-A\nPRE-B,disabled\nPREX-1\nOTHER-1\n"]), "codes.csv");
    await call(uploadRoute, { path: "/api/coupon-codes/upload", token, body: data });

    const found = await list({ token }, book.id, "?q=%20pre-&limit=2");
    expect(found.body).toMatchObject({ total: 3 });
    expect(found.body.data.map((r: Row) => r.code)).toEqual(["PRE-A", "PRE-B"]);
    const rest = await list({ token }, book.id, `?q=pre-&limit=2&after=${found.body.nextCursor}`);
    expect(rest.body.data.map((r: Row) => r.code)).toEqual(["PRE-C"]);
    expect(rest.body.nextCursor).toBeNull();
    expect((await list({ token }, book.id, "?q=PRE&status=AVAILABLE")).body.data.map((r: Row) => r.code)).toEqual(["PRE-A", "PRE-C", "PREX-1"]);
    expect((await list({ token }, book.id, "?q=NOPE")).body).toMatchObject({ data: [], total: 0, nextCursor: null });
  });
});
