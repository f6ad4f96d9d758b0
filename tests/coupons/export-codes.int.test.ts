import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { GET as exportRoute } from "@/app/api/coupon-books/[id]/codes.csv/route";
import { POST as generateRoute } from "@/app/api/coupon-codes/generate/route";
import { db } from "@/db/client";
import { couponCodes } from "@/db/schema";
import { activeBook, businessWithKey } from "@/testing/fixtures";
import { call } from "@/testing/http";

const exportCsv = (token: string, bookId: string) =>
  call<string>(exportRoute, { path: `/api/coupon-books/${bookId}/codes.csv`, params: { id: bookId }, token });

describe("GET /api/coupon-books/:id/codes.csv", () => {
  it("streams every code of the book with a header, newest first, across keyset pages", async () => {
    const { token, businessId } = await businessWithKey();
    // 6,000 codes in one generate call share one created_at; more than one 5,000-row page.
    const book = await activeBook(businessId, { codes: 6_000, pattern: "E-{XXXXXXXX}" });
    await call(generateRoute, { path: "/api/coupon-codes/generate", token, body: { couponBookId: book.id, quantity: 5, pattern: "N-{XXXXXXXX}" } });
    const disabled = (await db.select().from(couponCodes).where(eq(couponCodes.bookId, book.id)).limit(1))[0]!;
    await db.update(couponCodes).set({ status: "DISABLED" }).where(eq(couponCodes.id, disabled.id));
    const other = await activeBook(businessId, { codes: 3 });

    const res = await exportCsv(token, book.id);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(res.headers.get("content-disposition")).toBe(`attachment; filename="coupon-codes-${book.id}.csv"`);
    const lines = res.body.trimEnd().split("\n");
    expect(lines[0]).toBe("code,status,created_at");
    const rows = lines.slice(1).map((line) => line.split(","));
    expect(rows).toHaveLength(6_005);
    for (const [, status, createdAt] of rows) {
      expect(["AVAILABLE", "DISABLED"]).toContain(status);
      expect(createdAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    }
    const codes = rows.map((r) => r[0]!);
    const stored = (await db.select({ code: couponCodes.code }).from(couponCodes).where(eq(couponCodes.bookId, book.id))).map((r) => r.code);
    expect(new Set(codes).size).toBe(6_005);
    expect([...codes].sort()).toEqual([...stored].sort());
    expect(codes.slice(0, 5).every((c) => c.startsWith("N-"))).toBe(true);
    expect(codes.slice(5)).toEqual([...codes.slice(5)].sort());
    expect(rows.find((r) => r[0] === disabled.code)![1]).toBe("DISABLED");
    expect(res.body).not.toContain((await db.select().from(couponCodes).where(eq(couponCodes.bookId, other.id)))[0]!.code);
  });

  it("exports just the header for a book without codes", async () => {
    const { token, businessId } = await businessWithKey();
    const book = await activeBook(businessId, { codes: 0, overrides: { status: "DRAFT" } });
    const res = await exportCsv(token, book.id);
    expect(res.status).toBe(200);
    expect(res.body).toBe("code,status,created_at\n");
  });

  it("answers 404 (JSON) for another business's book and 400 for a malformed id", async () => {
    const a = await businessWithKey();
    const b = await businessWithKey();
    const book = await activeBook(a.businessId, { codes: 2 });
    const res = await exportCsv(b.token, book.id);
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ code: "BOOK_NOT_FOUND" });
    expect((await exportCsv(a.token, "nope")).status).toBe(400);
  });
});
