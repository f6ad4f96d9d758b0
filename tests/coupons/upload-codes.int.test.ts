import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST as createBookRoute } from "@/app/api/coupon-books/route";
import { POST as uploadRoute } from "@/app/api/coupon-codes/upload/route";
import { db } from "@/db/client";
import { couponBooks, couponCodes, redemptionAudit } from "@/db/schema";
import { codesOf } from "@/testing/coupon-api";
import { businessWithKey } from "@/testing/fixtures";
import { call, sessionCookie } from "@/testing/http";
import { overrideSettings, restoreSettings } from "@/testing/settings";

// A small limit, so that the 413 path runs with a file of a few hundred kilobytes.
const MAX_BYTES = 256 * 1024;
beforeAll(() => {
  overrideSettings({ UPLOAD_MAX_BYTES: String(MAX_BYTES) });
});
afterAll(restoreSettings);

function form(fields: { couponBookId?: string; file?: string; fileFirst?: boolean }) {
  const data = new FormData();
  const file = () => fields.file !== undefined && data.set("file", new Blob([fields.file], { type: "text/csv" }), "codes.csv");
  if (fields.fileFirst) file();
  if (fields.couponBookId !== undefined) data.set("couponBookId", fields.couponBookId);
  if (!fields.fileFirst) file();
  return data;
}

const upload = (who: { token?: string; cookie?: string }, body: FormData | string, options: { query?: string; headers?: Record<string, string> } = {}) =>
  call(uploadRoute, { method: "POST", path: `/api/coupon-codes/upload${options.query ?? ""}`, ...who, body, headers: options.headers });

async function newBook(token: string, body: Record<string, unknown> = {}) {
  const res = await call(createBookRoute, { path: "/api/coupon-books", token, body: { name: "Uploads", ...body } });
  expect(res.status).toBe(201);
  return res.body.id as string;
}

const bookRow = async (id: string) => (await db.select().from(couponBooks).where(eq(couponBooks.id, id)))[0]!;
const codeRows = (bookId: string) => db.select({ code: couponCodes.code, status: couponCodes.status }).from(couponCodes).where(eq(couponCodes.bookId, bookId));
const uploadAudits = (bookId: string) =>
  db.select().from(redemptionAudit).where(and(eq(redemptionAudit.bookId, bookId), eq(redemptionAudit.action, "UPLOAD")));

/** A multipart body with a fixed boundary, so that a retry sends the very same bytes. */
function fixedMultipart(couponBookId: string, csv: string) {
  const boundary = "----fixed-boundary-for-tests";
  const body =
    `--${boundary}\r\nContent-Disposition: form-data; name="couponBookId"\r\n\r\n${couponBookId}\r\n` +
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="codes.csv"\r\nContent-Type: text/csv\r\n\r\n${csv}\r\n` +
    `--${boundary}--\r\n`;
  return { body, headers: { "content-type": `multipart/form-data; boundary=${boundary}` } };
}

describe("POST /api/coupon-codes/upload", () => {
  it("stores valid rows with their status and counts duplicates (in the file and existing) and invalid rows by line", async () => {
    const { token, businessId } = await businessWithKey();
    const other = await newBook(token);
    await upload({ token }, form({ couponBookId: other, file: "TAKEN-001\n" }));
    const bookId = await newBook(token);
    const csv = [
      "Code,Status", // 1: header
      "vip-0001", // 2
      "VIP-0002,disabled", // 3
      "vip 0003 ,VALID", // 4: normalized to VIP0003
      "", // 5: blank
      "VIP-0001,available", // 6: duplicate in the file
      "ab", // 7: too short
      "VIP-0004,assigned", // 8: unknown status
      "TAKEN-001", // 9: exists in another book of the business
      '"VIP-0005","invalid"', // 10: quoted
      "bad code!", // 11
      "VIP-0006,valid,extra", // 12
    ].join("\n");
    const res = await upload({ token }, form({ couponBookId: bookId, file: csv }));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      uploadedCount: 4,
      duplicatesCount: 2,
      invalidRowsCount: 4,
      couponBookId: bookId,
      errors: [
        { row: 6, error: "duplicate code in the file", value: "VIP-0001" },
        { row: 7, error: expect.stringContaining("3–64"), value: "ab" },
        { row: 8, error: expect.stringContaining("status"), value: "assigned" },
        { row: 9, error: "code already exists in this business", value: "TAKEN-001" },
        { row: 11, error: expect.stringContaining("3–64"), value: "bad code!" },
        { row: 12, error: expect.stringContaining("two columns"), value: "VIP-0006,valid,extra" },
      ],
    });
    const rows = await codeRows(bookId);
    expect(Object.fromEntries(rows.map((r) => [r.code, r.status]))).toEqual({
      "VIP-0001": "AVAILABLE",
      "VIP-0002": "DISABLED",
      VIP0003: "AVAILABLE",
      "VIP-0005": "DISABLED",
    });
    expect((await bookRow(bookId)).generatedCount).toBe(4);

    const [audit] = await uploadAudits(bookId);
    expect(audit).toMatchObject({ businessId, details: { uploadedCount: 4, duplicatesCount: 2, invalidRowsCount: 4 } });
    expect(JSON.stringify(audit)).not.toContain("VIP-");
  });

  it("reads a BOM, CRLF line ends, files without a header and without a final newline", async () => {
    const { token } = await businessWithKey();
    const bookId = await newBook(token);
    const res = await upload({ token }, form({ couponBookId: bookId, file: "\ufeffBOM-0001\r\nBOM-0002,Disabled\r\n\r\nBOM-0003" }));
    expect(res.body).toMatchObject({ uploadedCount: 3, duplicatesCount: 0, invalidRowsCount: 0, errors: [] });
    expect((await codeRows(bookId)).map((r) => r.code).sort()).toEqual(["BOM-0001", "BOM-0002", "BOM-0003"]);
  });

  it("finds duplicates across batches and reports only the first 100 row errors, in row order", async () => {
    const { token } = await businessWithKey();
    const bookId = await newBook(token);
    const lines: string[] = [];
    for (let i = 0; i < 12_000; i++) lines.push(`B-${String(i).padStart(6, "0")}`);
    // Repeats of early rows, after several 5,000-row batches have been inserted.
    for (let i = 0; i < 150; i++) lines.push(`B-${String(i).padStart(6, "0")}`);
    lines.push("!!");
    const res = await upload({ token }, form({ couponBookId: bookId, file: lines.join("\n") }));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ uploadedCount: 12_000, duplicatesCount: 150, invalidRowsCount: 1 });
    expect(res.body.errors).toHaveLength(100);
    expect(res.body.errors[0]).toEqual({ row: 12_001, error: "duplicate code in the file", value: "B-000000" });
    expect(res.body.errors.map((e: { row: number }) => e.row)).toEqual(Array.from({ length: 100 }, (_, i) => 12_001 + i));
    expect(await codesOf(bookId)).toHaveLength(12_000);
  });

  it("lets two businesses upload the same codes", async () => {
    const a = await businessWithKey();
    const b = await businessWithKey();
    for (const owner of [a, b]) {
      const bookId = await newBook(owner.token);
      const res = await upload({ token: owner.token }, form({ couponBookId: bookId, file: "SHARED-1\nSHARED-2\n" }));
      expect(res.body).toMatchObject({ uploadedCount: 2, duplicatesCount: 0 });
    }
  });

  it("takes couponBookId from the query; a file sent before couponBookId is a 400 and writes nothing", async () => {
    const { token } = await businessWithKey();
    const bookId = await newBook(token);
    const early = await upload({ token }, form({ couponBookId: bookId, file: "EARLY-1\n", fileFirst: true }));
    expect(early.status).toBe(400);
    expect(early.body.error).toContain("before the file");
    expect(await codesOf(bookId)).toHaveLength(0);

    const byQuery = await upload({ token }, form({ file: "QUERY-1\n" }), { query: `?couponBookId=${bookId}` });
    expect(byQuery.body).toMatchObject({ uploadedCount: 1, couponBookId: bookId });
    const disagree = await upload({ token }, form({ couponBookId: bookId, file: "QUERY-2\n" }), { query: `?couponBookId=${await newBook(token)}` });
    expect(disagree.status).toBe(400);
  });

  it("answers 400 for a bad couponBookId, a missing file and a malformed body", async () => {
    const { token } = await businessWithKey();
    const bookId = await newBook(token);
    expect((await upload({ token }, form({ couponBookId: "nope", file: "X-0001\n" }))).status).toBe(400);
    expect((await upload({ token }, form({ file: "X-0001\n" }))).status).toBe(400);
    const noFile = await upload({ token }, form({ couponBookId: bookId }));
    expect(noFile.status).toBe(400);
    expect(noFile.body.details[0].path).toEqual(["file"]);
    // Cut off before the closing boundary: every row was read (and batches inserted), yet nothing stays.
    const rows = Array.from({ length: 12_000 }, (_, i) => `CUT-${String(i).padStart(6, "0")}`).join("\n");
    const { body, headers } = fixedMultipart(bookId, rows);
    const truncated = await upload({ token }, body.slice(0, body.length - 30), { headers });
    expect(truncated.status).toBe(400);
    expect(truncated.body.code).toBe("VALIDATION_ERROR");
    const noBoundary = await upload({ token }, "x", { headers: { "content-type": "multipart/form-data; charset=utf-8" } });
    expect(noBoundary.status).toBe(400);
    expect((await upload({ token }, "x", { headers: { "content-type": "multipart/form-data" } })).status).toBe(400);
    expect(await codesOf(bookId)).toHaveLength(0);
  });

  it("refuses a second file part (or too many fields) instead of ignoring it, and keeps nothing of the first file", async () => {
    const { token } = await businessWithKey();
    const bookId = await newBook(token);
    const twoFiles = form({ couponBookId: bookId, file: "TWO-0001\n" });
    twoFiles.append("file", new Blob(["TWO-0002\n"], { type: "text/csv" }), "more.csv");
    const res = await upload({ token }, twoFiles);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: "VALIDATION_ERROR", error: "The form has more than 1 file part" });
    const manyFields = form({ couponBookId: bookId, file: "TWO-0003\n" });
    for (let i = 0; i < 20; i++) manyFields.append(`extra${i}`, "x");
    expect((await upload({ token }, manyFields)).body).toMatchObject({ code: "VALIDATION_ERROR", error: "The form has more than 20 fields" });
    expect(await codesOf(bookId)).toHaveLength(0);
    expect(await uploadAudits(bookId)).toHaveLength(0);
  });

  it("answers 415 for a body that is not multipart/form-data", async () => {
    const { token } = await businessWithKey();
    const bookId = await newBook(token);
    const res = await call(uploadRoute, { path: "/api/coupon-codes/upload", token, body: { couponBookId: bookId, file: "A-0001" } });
    expect(res.status).toBe(415);
    expect(res.body.code).toBe("UNSUPPORTED_MEDIA_TYPE");
    const csv = await upload({ token }, "A-0001\n", { headers: { "content-type": "text/csv" } });
    expect(csv.status).toBe(415);
  });

  it("answers 413 for a file over UPLOAD_MAX_BYTES and rolls back the batches already inserted", async () => {
    const { token } = await businessWithKey();
    const bookId = await newBook(token);
    const lines: string[] = [];
    // 14 bytes a row: several 5,000-row batches are inserted before the limit is hit.
    while (lines.length * 14 < MAX_BYTES + 1000) lines.push(`BIG-${String(lines.length).padStart(9, "0")}`);
    const csv = lines.join("\n");
    expect(csv.length).toBeGreaterThan(MAX_BYTES);
    // Sent in small pieces, as a network would, so that batches are inserted before the limit is seen.
    const { body: whole, headers } = fixedMultipart(bookId, csv);
    const bytes = new TextEncoder().encode(whole);
    let sent = 0;
    const trickle = new ReadableStream<Uint8Array>({
      async pull(controller) {
        if (sent >= bytes.length) return controller.close();
        await new Promise((resolve) => setImmediate(resolve));
        controller.enqueue(bytes.slice(sent, (sent += 4096)));
      },
    });
    const request = new Request("http://localhost/api/coupon-codes/upload", {
      method: "POST",
      headers: { ...headers, authorization: `Bearer ${token}` },
      body: trickle,
      duplex: "half",
    } as RequestInit);
    const response = await uploadRoute(request, { params: Promise.resolve({}) });
    const res = { status: response.status, body: await response.json() };
    expect(res.status).toBe(413);
    expect(res.body.code).toBe("PAYLOAD_TOO_LARGE");
    expect(await codesOf(bookId)).toHaveLength(0);
    expect((await bookRow(bookId)).generatedCount).toBe(0);
    expect(await uploadAudits(bookId)).toHaveLength(0);

    // A declared Content-Length over the limit is refused before anything is read.
    const small = fixedMultipart(bookId, "SMALL-001\n");
    const declared = await upload({ token }, small.body, { headers: { ...small.headers, "content-length": String(MAX_BYTES * 2) } });
    expect(declared.status).toBe(413);

    // Right under the limit is fine.
    const fits = await upload({ token }, form({ couponBookId: bookId, file: lines.slice(0, 1000).join("\n") }));
    expect(fits.body.uploadedCount).toBe(1000);
  });

  it("refuses GENERIC (409), ARCHIVED (409) and another business's books (404)", async () => {
    const a = await businessWithKey();
    const b = await businessWithKey();
    const generic = await newBook(a.token, { codeKind: "GENERIC", code: "WELCOME10" });
    const wrongKind = await upload({ token: a.token }, form({ couponBookId: generic, file: "G-0001\n" }));
    expect(wrongKind.status).toBe(409);
    expect(wrongKind.body.code).toBe("WRONG_CODE_KIND");

    const archived = await newBook(a.token);
    await db.update(couponBooks).set({ status: "ARCHIVED" }).where(eq(couponBooks.id, archived));
    const closed = await upload({ token: a.token }, form({ couponBookId: archived, file: "G-0001\n" }));
    expect(closed.status).toBe(409);
    expect(closed.body.code).toBe("BOOK_NOT_ACTIVE");

    const mine = await newBook(a.token);
    const foreign = await upload({ token: b.token }, form({ couponBookId: mine, file: "G-0001\n" }));
    expect(foreign.status).toBe(404);
    expect(await codesOf(mine)).toHaveLength(0);

    const shopper = await sessionCookie({ uid: "shopper-1", role: "shopper" });
    expect((await upload({ cookie: shopper }, form({ couponBookId: mine, file: "G-0001\n" }))).status).toBe(403);
    expect((await upload({}, form({ couponBookId: mine, file: "G-0001\n" }))).status).toBe(401);
  });

  it("replays an upload sent again with the same Idempotency-Key and body; another body is 422", async () => {
    const { token } = await businessWithKey();
    const bookId = await newBook(token);
    const first = fixedMultipart(bookId, "IDEM-001\nIDEM-002\n");
    const key = { "idempotency-key": "upload-1" };
    const res = await upload({ token }, first.body, { headers: { ...first.headers, ...key } });
    expect(res.body).toMatchObject({ uploadedCount: 2, duplicatesCount: 0 });
    const again = await upload({ token }, first.body, { headers: { ...first.headers, ...key } });
    expect(again.status).toBe(200);
    expect(again.body).toEqual(res.body);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    const other = fixedMultipart(bookId, "IDEM-003\n");
    const reused = await upload({ token }, other.body, { headers: { ...other.headers, ...key } });
    expect(reused.status).toBe(422);
    expect(reused.body.code).toBe("IDEMPOTENCY_KEY_REUSED");
    expect((await codesOf(bookId)).sort()).toEqual(["IDEM-001", "IDEM-002"]);
    expect(await uploadAudits(bookId)).toHaveLength(1);
  });
});
