import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { POST as createBookRoute } from "@/app/api/coupon-books/route";
import { POST as generateRoute } from "@/app/api/coupon-codes/generate/route";
import { db } from "@/db/client";
import { couponBooks, couponCodes, redemptionAudit } from "@/db/schema";
import { codesOf } from "@/testing/coupon-api";
import { businessWithKey } from "@/testing/fixtures";
import { call } from "@/testing/http";
import { PATTERN_ALPHABET } from "@/lib/coupons/pattern";

const generate = (token: string, body: Record<string, unknown>, headers?: Record<string, string>) =>
  call(generateRoute, { path: "/api/coupon-codes/generate", token, body, headers });

async function newBook(token: string, body: Record<string, unknown> = {}) {
  const res = await call(createBookRoute, { path: "/api/coupon-books", token, body: { name: "Codes", ...body } });
  expect(res.status).toBe(201);
  return res.body.id as string;
}

const bookRow = async (id: string) => (await db.select().from(couponBooks).where(eq(couponBooks.id, id)))[0]!;

describe("POST /api/coupon-codes/generate", () => {
  it("creates exactly `quantity` codes that match the pattern and answers with the seed's shape", async () => {
    const { token, businessId } = await businessWithKey();
    const bookId = await newBook(token);
    const res = await generate(token, { couponBookId: bookId, quantity: 500, pattern: "summer-{XXXX}-{##}" });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ generatedCount: 500, couponBookId: bookId, pattern: "summer-{XXXX}-{##}", keyspace: 32 ** 4 * 100 });
    const shape = new RegExp(`^SUMMER-[${PATTERN_ALPHABET}]{4}-[0-9]{2}$`);
    expect(res.body.firstCode).toMatch(shape);
    expect(res.body.lastCode).toMatch(shape);

    const codes = await codesOf(bookId);
    expect(codes).toHaveLength(500);
    expect(new Set(codes).size).toBe(500);
    for (const code of codes) expect(code).toMatch(shape);
    expect(codes).toContain(res.body.firstCode);

    const book = await bookRow(bookId);
    expect(book).toMatchObject({ generatedCount: 500, codePrefix: "SUMMER-", businessId });
    const audit = await db.select().from(redemptionAudit).where(eq(redemptionAudit.bookId, bookId));
    expect(audit.map((a) => a.action).sort()).toEqual(["CREATE_BOOK", "GENERATE"]);
    expect(JSON.stringify(audit)).not.toContain(res.body.firstCode);
  });

  it("makes up every collision across several batches (each drawn while the previous one is inserted): exact count, all distinct", async () => {
    const { token } = await businessWithKey();
    const bookId = await newBook(token);
    // 45,000 of 32^5 (33.5M): three batches and, by the birthday bound, ~30 draws that collide.
    const res = await generate(token, { couponBookId: bookId, quantity: 45_000, pattern: "B{XXXXX}" });
    expect(res.status).toBe(200);
    expect(res.body.generatedCount).toBe(45_000);
    const [{ total, distinct }] = (await db.execute<{ total: number; distinct: number }>(
      sql`select count(*)::int as total, count(distinct code)::int as distinct from coupon_codes where book_id = ${bookId}`,
    )) as unknown as [{ total: number; distinct: number }];
    expect({ total, distinct }).toEqual({ total: 45_000, distinct: 45_000 });
    expect((await bookRow(bookId)).generatedCount).toBe(45_000);
  });

  it("refuses a guessable pattern with 422: keyspace under 100 × max(totalCodesExpected, generatedCount + quantity)", async () => {
    const { token } = await businessWithKey();
    const bookId = await newBook(token);
    // G-{XX}: 1,024 codes, enough for 10 (1,000) but not 11 (1,100).
    const tooMany = await generate(token, { couponBookId: bookId, quantity: 11, pattern: "G-{XX}" });
    expect(tooMany.status).toBe(422);
    expect(tooMany.body).toMatchObject({ code: "PATTERN_TOO_GUESSABLE", keyspace: 1024, requiredKeyspace: 1100 });
    expect((await generate(token, { couponBookId: bookId, quantity: 10, pattern: "G-{XX}" })).status).toBe(200);
    // The book now holds 10: one more makes 11.
    const more = await generate(token, { couponBookId: bookId, quantity: 1, pattern: "G-{XX}" });
    expect(more.status).toBe(422);
    expect(more.body.requiredKeyspace).toBe(1100);

    const planned = await newBook(token, { totalCodesExpected: 20 });
    const small = await generate(token, { couponBookId: planned, quantity: 1, pattern: "P-{XX}" });
    expect(small.status).toBe(422);
    expect(small.body.requiredKeyspace).toBe(2000);
    expect(await codesOf(planned)).toHaveLength(0);
  });

  it.each([
    ["no placeholder", { pattern: "SUMMER" }],
    ["unbalanced braces", { pattern: "S-{XXXX" }],
    ["unknown placeholder", { pattern: "S-{XXYY}" }],
    ["bad literal", { pattern: "S.{XXXX}" }],
    ["too long", { pattern: `${"L".repeat(60)}{XXXXX}` }],
    ["empty pattern", { pattern: "" }],
    ["quantity 0", { quantity: 0 }],
    ["quantity not an integer", { quantity: 1.5 }],
    ["quantity over the per-call maximum", { quantity: 1_000_001 }],
  ])("answers 400 for %s", async (_name, change) => {
    const { token } = await businessWithKey();
    const bookId = await newBook(token);
    const res = await generate(token, { couponBookId: bookId, quantity: 5, pattern: "S-{XXXXXX}", ...change });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe("VALIDATION_ERROR");
    expect(res.body.details.length).toBeGreaterThan(0);
    expect(await codesOf(bookId)).toHaveLength(0);
  });

  it("answers 400 for a malformed couponBookId and a missing body", async () => {
    const { token } = await businessWithKey();
    expect((await generate(token, { couponBookId: "nope", quantity: 1, pattern: "S-{XXXX}" })).status).toBe(400);
    expect((await call(generateRoute, { method: "POST", path: "/api/coupon-codes/generate", token, body: "" })).status).toBe(400);
  });

  it("refuses GENERIC books (409) and ARCHIVED books (409)", async () => {
    const { token } = await businessWithKey();
    const generic = await newBook(token, { codeKind: "GENERIC", code: "WELCOME10" });
    const res = await generate(token, { couponBookId: generic, quantity: 5, pattern: "W-{XXXXXX}" });
    expect(res.status).toBe(409);
    expect(res.body.code).toBe("WRONG_CODE_KIND");

    const archived = await newBook(token);
    await db.update(couponBooks).set({ status: "ARCHIVED" }).where(eq(couponBooks.id, archived));
    const closed = await generate(token, { couponBookId: archived, quantity: 5, pattern: "A-{XXXXXX}" });
    expect(closed.status).toBe(409);
    expect(closed.body.code).toBe("BOOK_NOT_ACTIVE");
  });

  it("answers 404 for another business's book (and for no book at all)", async () => {
    const a = await businessWithKey();
    const b = await businessWithKey();
    const bookId = await newBook(a.token);
    const res = await generate(b.token, { couponBookId: bookId, quantity: 5, pattern: "S-{XXXXXX}" });
    expect(res.status).toBe(404);
    expect(res.body.code).toBe("BOOK_NOT_FOUND");
    expect(await codesOf(bookId)).toHaveLength(0);
    const missing = await generate(a.token, { couponBookId: "00000000-0000-4000-8000-000000000000", quantity: 5, pattern: "S-{XXXXXX}" });
    expect(missing.status).toBe(404);
  });

  it("keeps codes unique within a business (exact counts despite collisions) while two businesses may share a code", async () => {
    const a = await businessWithKey();
    const b = await businessWithKey();
    // K-{XX} has 1,024 codes; 20 books × 10 codes in one business collide often and must be redrawn.
    for (const owner of [a, b]) {
      for (let i = 0; i < 20; i++) {
        const bookId = await newBook(owner.token);
        const res = await generate(owner.token, { couponBookId: bookId, quantity: 10, pattern: "k-{XX}" });
        expect(res.status).toBe(200);
        expect(await codesOf(bookId)).toHaveLength(10);
      }
    }
    const codesOfBusiness = async (businessId: string) =>
      (await db.select({ code: couponCodes.code }).from(couponCodes).where(eq(couponCodes.businessId, businessId))).map((r) => r.code);
    const codesA = await codesOfBusiness(a.businessId);
    const codesB = await codesOfBusiness(b.businessId);
    expect(codesA).toHaveLength(200);
    expect(new Set(codesA).size).toBe(200);
    expect(new Set(codesB).size).toBe(200);
    for (const code of codesA) expect(code).toMatch(/^K-[2-9A-HJ-NP-Z]{2}$/);
    // ~39 shared codes are expected; none at all would mean businesses block each other's codes.
    const shared = codesA.filter((code) => new Set(codesB).has(code));
    expect(shared.length).toBeGreaterThan(0);
  });

  it("replays a generate sent again with the same Idempotency-Key without creating more codes", async () => {
    const { token } = await businessWithKey();
    const bookId = await newBook(token);
    const body = { couponBookId: bookId, quantity: 25, pattern: "I-{XXXXXX}" };
    const headers = { "idempotency-key": "gen-1" };
    const first = await generate(token, body, headers);
    const again = await generate(token, body, headers);
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(await codesOf(bookId)).toHaveLength(25);
  });
});
