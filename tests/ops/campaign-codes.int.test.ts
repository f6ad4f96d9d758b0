import { and, eq, inArray, sql } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { db } from "@/db/client";
import { couponCodes, promoAttempts, redemptionAudit } from "@/db/schema";
import { assignCode, codesOf, lock, redeem } from "@/testing/coupon-api";
import { activeBook, businessWithKey, genericBook } from "@/testing/fixtures";
import { sessionCookie } from "@/testing/http";
import { disableCodes, enableCodes } from "@/testing/ops-api";
import { cartOf, promoRedeem } from "@/testing/promo-api";
import { captureLogs } from "@/lib/log";

let stopCapture: (() => void) | undefined;
afterEach(() => {
  stopCapture?.();
  stopCapture = undefined;
});

async function statusOf(codes: string[]) {
  const rows = await db.select({ code: couponCodes.code, status: couponCodes.status }).from(couponCodes).where(inArray(couponCodes.code, codes));
  return Object.fromEntries(rows.map((r) => [r.code, r.status]));
}

const auditRows = (action: string) => db.select().from(redemptionAudit).where(eq(redemptionAudit.action, action));

describe("POST /api/internal/promo/campaigns/:id/codes/disable|enable (a leaked batch, seed 001)", () => {
  it("disables listed codes, held or not: they answer INVALID at checkout until enabled again", async () => {
    const logs = captureLogs();
    stopCapture = logs.stop;
    const { businessId, token } = await businessWithKey();
    const book = await activeBook(businessId, { codes: 5, pattern: "LEAK-{XXXXXX}", overrides: { discountType: "FIXED", discountValue: 100 } });
    const other = await activeBook(businessId, { codes: 1, pattern: "ELSE-{XXXXXX}" });
    const [held, free, already, untouched] = await codesOf(book.id);
    const [otherBooks] = await codesOf(other.id);
    await assignCode({ token }, held!, { userId: "ana" });
    await db.update(couponCodes).set({ status: "DISABLED" }).where(eq(couponCodes.code, already!));

    const listed = [` ${held!.toLowerCase()} `, free!, already!, "LEAK-NOPE99", free!, otherBooks!];
    const res = await disableCodes(book.id, { codes: listed, reason: "batch posted on a forum" });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ updated: 2, unchanged: 1, notFound: { count: 2, positions: [3, 5] } });
    expect(await statusOf([held!, free!, already!, untouched!, otherBooks!])).toEqual({
      [held!]: "DISABLED",
      [free!]: "DISABLED",
      [already!]: "DISABLED",
      [untouched!]: "AVAILABLE",
      [otherBooks!]: "AVAILABLE",
    });

    // The internal redeem: the holder's disabled code and an unheld disabled one are both just INVALID.
    const cart = cartOf(businessId);
    for (const [userId, code] of [
      ["ana", held!],
      ["bob", free!],
    ]) {
      const attempt = await promoRedeem({ userId, code, checkoutId: `chk-${userId}`, cart });
      expect(attempt.body).toMatchObject({ result: "INVALID", reservationId: null });
      expect(attempt.body.reason).toBeUndefined();
    }
    const reasons = await db.select({ reason: promoAttempts.reason }).from(promoAttempts);
    expect(reasons.map((r) => r.reason)).toEqual(["CODE_DISABLED", "CODE_DISABLED"]);
    // The public API refuses the holder too.
    expect((await lock({ token }, held!, { userId: "ana" })).body.code).toBe("COUPON_DISABLED");
    expect((await redeem({ token }, held!, { userId: "ana" })).body.code).toBe("COUPON_DISABLED");

    const [audit] = await auditRows("DISABLE_CODES");
    expect(audit).toMatchObject({ bookId: book.id, businessId, actor: "internal" });
    expect(audit!.details).toMatchObject({ listed: 6, updated: 2, unchanged: 1, notFound: 2, notFoundPositions: [3, 5], reason: "batch posted on a forum" });
    const codeIds = await db.select({ id: couponCodes.id }).from(couponCodes).where(inArray(couponCodes.code, [held!, free!]));
    expect([...(audit!.details as { codeIds: string[] }).codeIds].sort()).toEqual(codeIds.map((c) => c.id).sort());

    const enabled = await enableCodes(book.id, { codes: [held!, free!, untouched!, "LEAK-NOPE99"] });
    expect(enabled.body).toEqual({ updated: 2, unchanged: 1, notFound: { count: 1, positions: [3] } });
    expect(await statusOf([held!, free!, untouched!])).toEqual({ [held!]: "ASSIGNED", [free!]: "AVAILABLE", [untouched!]: "AVAILABLE" });
    expect((await promoRedeem({ userId: "ana", code: held!, checkoutId: "chk-again", cart })).body.result).toBe("ACCEPTED");
    expect(await auditRows("ENABLE_CODES")).toEqual([expect.objectContaining({ details: expect.objectContaining({ updated: 2, unchanged: 1, notFound: 1 }) })]);
    logs.stop();

    // Neither the audit trail nor the logs carry a raw code.
    const raw = [held!, free!, already!, otherBooks!, "LEAK-NOPE99"];
    const audits = await db.execute<{ row: string }>(sql`select row_to_json(a)::text as row from redemption_audit a where action in ('DISABLE_CODES', 'ENABLE_CODES')`);
    expect(audits.flatMap((a) => raw.filter((code) => a.row.toUpperCase().includes(code)))).toEqual([]);
    expect(logs.lines.some((line) => line.includes('"campaign codes changed"'))).toBe(true);
    expect(logs.lines.flatMap((line) => raw.filter((code) => line.toUpperCase().includes(code)))).toEqual([]);
  });

  it("all: true changes the whole book in one statement, and again changes nothing", async () => {
    const { businessId, token } = await businessWithKey();
    const book = await activeBook(businessId, { codes: 3_000, pattern: "BULK-{XXXXXXXX}" });
    const survivor = await activeBook(businessId, { codes: 2, pattern: "KEEP-{XXXXXX}" });
    const [held] = await codesOf(book.id);
    await assignCode({ token }, held!, { userId: "ana" });

    const first = await disableCodes(book.id, { all: true });
    expect(first.body).toEqual({ updated: 3_000, unchanged: 0, notFound: { count: 0 } });
    const again = await disableCodes(book.id, { all: true });
    expect(again.body).toEqual({ updated: 0, unchanged: 3_000, notFound: { count: 0 } });
    const statuses = await db.execute<{ status: string; n: number }>(sql`select status, count(*)::int as n from coupon_codes where book_id = ${book.id} group by status`);
    expect([...statuses]).toEqual([{ status: "DISABLED", n: 3_000 }]);
    expect((await codesOf(survivor.id)).length).toBe(2);
    expect(await db.select().from(couponCodes).where(and(eq(couponCodes.bookId, survivor.id), eq(couponCodes.status, "DISABLED")))).toEqual([]);
    const audits = await auditRows("DISABLE_CODES");
    expect(audits.map((a) => a.details)).toEqual([
      { all: true, updated: 3_000, unchanged: 0, notFound: 0 },
      { all: true, updated: 0, unchanged: 3_000, notFound: 0 },
    ]);

    const enabled = await enableCodes(book.id, { all: true });
    expect(enabled.body).toEqual({ updated: 3_000, unchanged: 0, notFound: { count: 0 } });
    const after = await db.execute<{ status: string; n: number }>(sql`select status, count(*)::int as n from coupon_codes where book_id = ${book.id} group by status order by status`);
    expect([...after]).toEqual([
      { status: "AVAILABLE", n: 2_999 },
      { status: "ASSIGNED", n: 1 },
    ]);
    expect(await statusOf([held!])).toEqual({ [held!]: "ASSIGNED" });
  });

  it("a GENERIC book's public code: disabled → INVALID for everyone, enabled → AVAILABLE again (its holders share it)", async () => {
    const { businessId } = await businessWithKey();
    const book = await genericBook(businessId, "WELCOME10", { discountType: "FIXED", discountValue: 100 });
    const cart = cartOf(businessId);
    expect((await promoRedeem({ userId: "ana", code: "WELCOME10", checkoutId: "a-1", cart })).body.result).toBe("ACCEPTED");
    expect((await disableCodes(book.id, { all: true })).body.updated).toBe(1);
    expect((await promoRedeem({ userId: "bob", code: "welcome10", checkoutId: "b-1", cart })).body.result).toBe("INVALID");
    expect((await promoRedeem({ userId: "ana", code: "WELCOME10", checkoutId: "a-2", cart })).body.result).toBe("INVALID");
    expect((await enableCodes(book.id, { codes: ["welcome10"] })).body).toEqual({ updated: 1, unchanged: 0, notFound: { count: 0, positions: [] } });
    expect(await statusOf(["WELCOME10"])).toEqual({ WELCOME10: "AVAILABLE" });
    expect((await promoRedeem({ userId: "bob", code: "WELCOME10", checkoutId: "b-2", cart })).body.result).toBe("ACCEPTED");
  });

  it("400 for a body that is not exactly one of codes (1–1000) or all: true, 404 for an unknown campaign, 401/403 for others", async () => {
    const owner = await businessWithKey();
    const book = await activeBook(owner.businessId, { codes: 1 });
    for (const route of [disableCodes, enableCodes]) {
      for (const body of [{}, { codes: [] }, { codes: Array.from({ length: 1_001 }, (_, i) => `CODE-${i}`) }, { all: false }, { all: true, codes: ["X-1"] }, { codes: "X-1" }, { codes: [42] }]) {
        const res = await route(book.id, body);
        expect(res.status, JSON.stringify(body).slice(0, 60)).toBe(400);
        expect(res.body.code).toBe("VALIDATION_ERROR");
      }
      expect((await route(book.id, { codes: Array.from({ length: 1_000 }, (_, i) => `CODE-${i}`) })).body.notFound.count).toBe(1_000);
      const unknown = await route("00000000-0000-4000-8000-000000000000", { all: true });
      expect(unknown.status).toBe(404);
      expect(unknown.body.code).toBe("BOOK_NOT_FOUND");
      expect((await route("nope", { all: true })).status).toBe(400);
      expect((await route(book.id, { all: true }, {})).status).toBe(401);
      expect((await route(book.id, { all: true }, { token: owner.token })).status).toBe(403);
      expect((await route(book.id, { all: true }, { cookie: await sessionCookie({ uid: "s", role: "seller", businessId: owner.businessId }) })).status).toBe(403);
      expect((await route(book.id, { all: true }, { cookie: await sessionCookie({ uid: "o", role: "ops" }) })).status).toBe(200);
    }
  });
});
