import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import * as auditRoute from "@/app/api/internal/promo/audit/route";
import { db } from "@/db/client";
import { opsAudit, redemptionAudit } from "@/db/schema";
import { AuditTrailQuery } from "@/lib/ops/audit-schemas";
import { listAuditTrail, type AuditTrailEntry } from "@/lib/ops/audit-trail";
import { activeBook, businessWithKey, genericBook } from "@/testing/fixtures";
import { codesOf } from "@/testing/coupon-api";
import { call, sessionCookie, testUserId } from "@/testing/http";
import { disableCodes, refundRollback, setStatus } from "@/testing/ops-api";
import { cartOf, internal, promoApply, promoRedeem } from "@/testing/promo-api";

const query = (input: Record<string, unknown> = {}) => AuditTrailQuery.parse(input);
const list = (input: Record<string, unknown> = {}) => listAuditTrail(db, query(input));
const get = async (search: string, who: { token?: string; cookie?: string } = internal()) => call(auditRoute.GET, { path: `/api/internal/promo/audit${search}`, ...who });

const T0 = Date.parse("2026-11-23T10:00:00Z");
/** A cursor of the audit trail's shape around an instant the reader never selected. */
const forgedAuditCursor = (at: string) => Buffer.from(JSON.stringify([at, "ops", "00000000-0000-0000-0000-000000000000"])).toString("base64url");

/** An instant `ms` after T0, with microseconds, as PostgreSQL stores it (JS Dates stop at milliseconds). */
const at = (ms: number, micros = 0) => sql`${new Date(T0 + ms).toISOString()}::timestamptz + make_interval(secs => ${micros / 1e6})`;

async function couponRow(businessId: string, when: ReturnType<typeof at>, fields: Partial<typeof redemptionAudit.$inferInsert> = {}) {
  const [row] = await db
    .insert(redemptionAudit)
    .values({ businessId, action: "PAUSE", actor: "system:guard", ...fields, at: when })
    .returning({ id: redemptionAudit.id });
  return row!.id;
}

async function opsRow(when: ReturnType<typeof at>, fields: Partial<typeof opsAudit.$inferInsert> = {}) {
  const [row] = await db
    .insert(opsAudit)
    .values({ action: "RETRY_ALERT_DELIVERY", actor: "ops:someone", targetType: "alert_delivery", targetId: randomUUID(), ...fields, at: when })
    .returning({ id: opsAudit.id });
  return row!.id;
}

/** Every entry, page by page with `limit`, following nextCursor to the end. */
async function walk(filters: Record<string, unknown>, limit: number) {
  const seen: AuditTrailEntry[] = [];
  let after: string | undefined;
  for (let pages = 0; pages < 100; pages++) {
    const page = await list({ ...filters, limit, ...(after ? { after } : {}) });
    expect(page.data.length).toBeLessThanOrEqual(limit);
    seen.push(...page.data);
    if (!page.nextCursor) return seen;
    after = page.nextCursor;
  }
  throw new Error("the pages never ended");
}

describe("listAuditTrail (the ops audit page's reader)", () => {
  it("merges redemption_audit and ops_audit newest first, entries sharing a time (to the microsecond) included, without skipping or repeating across pages", async () => {
    const { businessId } = await businessWithKey();
    // Written out of order; several share a time, as all rows of one transaction do, across both sources.
    const ids = {
      c1: await couponRow(businessId, at(1000)),
      o1: await opsRow(at(3000)),
      c2: await couponRow(businessId, at(3000)),
      c3: await couponRow(businessId, at(3000)),
      o2: await opsRow(at(3000)),
      c4: await couponRow(businessId, at(3000, 1)),
      o3: await opsRow(at(500)),
      c5: await couponRow(businessId, at(2000, 999)),
    };
    const byIdDesc = (a: string, b: string) => (a < b ? 1 : -1);
    const expected = [
      ids.c4, // 3000 ms + 1 µs
      ...[ids.c2, ids.c3].sort(byIdDesc), // 3000 ms, coupon changes before ops actions at one time
      ...[ids.o1, ids.o2].sort(byIdDesc),
      ids.c5,
      ids.c1,
      ids.o3,
    ];
    expect((await list()).data.map((e) => e.id)).toEqual(expected);
    for (const limit of [1, 2, 3, 5]) expect((await walk({}, limit)).map((e) => e.id), `limit ${limit}`).toEqual(expected);

    const first = await list({ limit: 3 });
    expect(first.limit).toBe(3);
    expect(first.nextCursor).toEqual(expect.any(String));
    expect(first.data.map((e) => e.source)).toEqual(["redemption", "redemption", "redemption"]);
    const last = await list({ limit: 8 });
    expect(last.nextCursor).toBeNull();
  });

  it("filters by campaign (coupon changes only), exact actor and the time range [from, to)", async () => {
    const { businessId } = await businessWithKey();
    const book = await activeBook(businessId, { codes: 1, overrides: { name: "Spring sale" } });
    const other = await activeBook(businessId, { codes: 1, overrides: { name: "Autumn sale" } });
    const ofBook = await couponRow(businessId, at(1000), { bookId: book.id, actor: "ops:ana" });
    const ofOther = await couponRow(businessId, at(2000), { bookId: other.id, actor: "ops:ana" });
    const byAnaOps = await opsRow(at(3000), { actor: "ops:ana" });
    const byGuard = await couponRow(businessId, at(4000), { bookId: book.id, actor: "system:guard" });
    const byAnabel = await opsRow(at(5000), { actor: "ops:anabel" });

    const bookTrail = (await list({ bookId: book.id })).data;
    // The generation's audit rows of the fixture came first (written now, so newest).
    expect(bookTrail.filter((e) => e.at.startsWith("2026-11-23T10:00")).map((e) => e.id)).toEqual([byGuard, ofBook]);
    expect(bookTrail.every((e) => e.source === "redemption" && e.campaign?.id === book.id && e.campaign.name === "Spring sale")).toBe(true);

    expect((await list({ actor: "ops:ana" })).data.map((e) => e.id)).toEqual([byAnaOps, ofOther, ofBook]);
    expect((await list({ actor: "ops:anabel" })).data.map((e) => e.id)).toEqual([byAnabel]);
    expect((await list({ actor: "ops:an" })).data).toEqual([]);

    const window = { from: "2026-11-23T10:00:02Z", to: "2026-11-23T10:00:05Z" };
    expect((await list(window)).data.map((e) => e.id)).toEqual([byGuard, byAnaOps, ofOther]);
    expect((await list({ ...window, actor: "ops:ana" })).data.map((e) => e.id)).toEqual([byAnaOps, ofOther]);
    // A datetime-local value (no offset) is UTC.
    expect((await list({ from: "2026-11-23T10:00:04", to: "2026-11-23T10:00:05" })).data.map((e) => e.id)).toEqual([byGuard]);
  });

  it("shows campaign, seller, status change, reason and details of real changes, names the operator, and never a coupon code", async () => {
    const { businessId, name: sellerName } = await businessWithKey();
    const book = await activeBook(businessId, { codes: 3, overrides: { name: "Leaky batch" } });
    const codes = await codesOf(book.id);
    const ops = { cookie: await sessionCookie({ uid: "ops-audit", role: "ops" }) };
    const opsLabel = `ops:${testUserId("ops-audit")}`;
    expect((await disableCodes(book.id, { codes: codes.slice(0, 2), reason: "leaked on a forum" }, ops)).status).toBe(200);
    expect((await setStatus(book.id, { status: "PAUSED", reason: "leak" }, ops)).status).toBe(200);
    // A coupon used and rolled back: its code never shows either.
    await genericBook(businessId, "SAVE5NOW", { name: "Welcome offer", discountType: "FIXED", discountValue: 500 });
    expect((await promoRedeem({ userId: "ana", code: "SAVE5NOW", checkoutId: "chk-1", cart: cartOf(businessId) })).body.result).toBe("ACCEPTED");
    expect((await promoApply({ checkoutId: "chk-1", orderId: "order-1" })).status).toBe(200);
    expect((await refundRollback({ orderId: "order-1", reason: "chargeback" }, ops)).status).toBe(200);
    // A details object a future writer might fill with codes.
    await couponRow(businessId, at(0), { bookId: book.id, details: { code: codes[2], codes: [codes[2]], nested: { rawCode: codes[2], kept: 1 }, reason: "test", updated: 2 } });

    const page = await list();
    const text = JSON.stringify(page);
    for (const code of [...codes, "SAVE5NOW"]) expect(text).not.toContain(code);

    const mine = await list({ actor: opsLabel });
    // The rollback's two rows share their transaction's time (then id order, random); the rest are in time order.
    expect(mine.data.map((e) => e.action).slice(0, 2).sort()).toEqual(["REFUND", "REVOKE"]);
    expect(mine.data.map((e) => e.action).slice(2)).toEqual(["PAUSE", "DISABLE_CODES"]);
    const [refund, revoke, pause, disable] = ["REFUND", "REVOKE", "PAUSE", "DISABLE_CODES"].map((action) => mine.data.find((e) => e.action === action));
    expect(pause).toMatchObject({
      source: "redemption",
      actor: opsLabel,
      actorName: "ops-audit",
      business: { id: businessId, name: sellerName },
      campaign: { id: book.id, name: "Leaky batch" },
      previousStatus: "ACTIVE",
      newStatus: "PAUSED",
      reason: "leak",
      target: null,
    });
    expect(disable).toMatchObject({ reason: "leaked on a forum", details: expect.objectContaining({ listed: 2, updated: 2, notFound: 0 }) });
    expect(disable!.details).not.toHaveProperty("reason");
    expect(revoke).toMatchObject({ campaign: { name: "Welcome offer" }, previousStatus: "REDEEMED", newStatus: "ASSIGNED", userId: "ana", orderId: "order-1", redeemCount: 0, reason: "chargeback" });
    expect(refund).toMatchObject({ previousStatus: "PAID", newStatus: "REFUNDED", orderId: "order-1", reason: "chargeback", campaign: null });

    const planted = page.data.find((e) => e.at.startsWith("2026-11-23T10:00"))!;
    expect(planted.reason).toBe("test");
    expect(planted.details).toEqual({ nested: { kept: 1 }, updated: 2 });
  });
});

describe("GET /api/internal/promo/audit", () => {
  it("answers the page with nextCursor, follows it, and explains a bad filter with a 400 (never a 500)", async () => {
    const { businessId } = await businessWithKey();
    for (let i = 0; i < 3; i++) await couponRow(businessId, at(i * 1000), { actor: "system:guard" });
    await opsRow(at(10_000), { actor: "internal", details: { alertId: randomUUID(), channel: "slack" } });

    const first = await get("?limit=2", { cookie: await sessionCookie({ uid: "ops-api", role: "ops" }) });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ limit: 2, nextCursor: expect.any(String) });
    expect(first.body.data[0]).toMatchObject({
      source: "ops",
      action: "RETRY_ALERT_DELIVERY",
      actor: "internal",
      actorName: null,
      target: { type: "alert_delivery", id: expect.any(String) },
      details: { channel: "slack", alertId: expect.any(String) },
      at: "2026-11-23T10:00:10.000Z",
    });
    const second = await get(`?limit=2&after=${first.body.nextCursor}`);
    expect(second.status).toBe(200);
    expect(second.body.data.map((e: AuditTrailEntry) => e.at)).toEqual(["2026-11-23T10:00:01.000Z", "2026-11-23T10:00:00.000Z"]);
    expect(second.body.nextCursor).toBeNull();
    expect((await get("?actor=system:guard&from=2026-11-23T10:00:01Z")).body.data).toHaveLength(2);
    // Empty form fields are no filter.
    expect((await get("?actor=&from=&to=&bookId=")).body.data).toHaveLength(4);

    for (const [search, field] of [
      ["?bookId=nope", "bookId"],
      ["?from=yesterday", "from"],
      ["?from=2026-11-23T10:00:05Z&to=2026-11-23T10:00:00Z", "to"],
      ["?after=bm90LWEtY3Vyc29y", "after"],
      // Dates PostgreSQL would refuse inside the query (a 500 before): year 0, past 9999, and a
      // cursor whose instant has the right digits but is not a real one.
      ["?from=0000-01-01T00:00", "from"],
      ["?to=9999-12-31T23:59:59-14:00", "to"],
      [`?after=${forgedAuditCursor("2026-13-45T25:61:61.000000Z")}`, "after"],
      [`?after=${forgedAuditCursor("2026-02-30T10:00:00.000000Z")}`, "after"],
      [`?after=${forgedAuditCursor("0000-01-01T00:00:00.000000Z")}`, "after"],
      [`?actor=${"x".repeat(201)}`, "actor"],
    ] as const) {
      const bad = await get(search);
      expect(bad.status, search).toBe(400);
      expect(bad.body.code).toBe("VALIDATION_ERROR");
      expect(bad.body.details.map((d: { path: string[] }) => d.path[0]), search).toContain(field);
    }
    expect((await get("?limit=100000")).body.limit).toBe(1000);
  });

  it("ops and internal only", async () => {
    const { businessId, token } = await businessWithKey();
    expect((await get("", {})).status).toBe(401);
    expect((await get("", { token })).status).toBe(403);
    expect((await get("", { cookie: await sessionCookie({ uid: "s-audit", role: "seller", businessId }) })).status).toBe(403);
    expect((await get("", { cookie: await sessionCookie({ uid: "sh-audit", role: "shopper" }) })).status).toBe(403);
  });
});
