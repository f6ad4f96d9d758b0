import { and, eq, sql } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { db } from "@/db/client";
import { backdateLocks } from "@/db/testing/backdate-locks";
import { couponAssignments, couponBooks, couponCodes, promoAttempts, redemptionAudit, redemptions } from "@/db/schema";
import { assignCode, codesOf } from "@/testing/coupon-api";
import { activeBook, businessWithKey, genericBook } from "@/testing/fixtures";
import { freezeDateMidMinute } from "@/testing/frozen-date";
import { sessionCookie } from "@/testing/http";
import { withBookRowHeld } from "@/db/testing/locks";
import { cartOf, promoApply, promoRedeem } from "@/testing/promo-api";
import { hashCode } from "@/lib/promo/hashing";
import { createRateLimiter, replaceRateLimiter } from "@/lib/rate-limit/rate-limiter";

const attemptsOf = (userId: string) => db.select().from(promoAttempts).where(eq(promoAttempts.userId, userId)).orderBy(promoAttempts.attemptedAt);

async function stateCounts() {
  const [row] = await db.execute<{ assignments: number; redemptions: number; audit: number }>(sql`
    select (select count(*) from coupon_assignments)::int as assignments,
           (select count(*) from redemptions)::int as redemptions,
           (select count(*) from redemption_audit)::int as audit`);
  return row!;
}

let restoreLimiter: (() => void) | undefined;
afterEach(() => {
  restoreLimiter?.();
  restoreLimiter = undefined;
});

describe("POST /api/internal/promo/redeem", () => {
  it("reserves a coupon: ACCEPTED with the reservation, the discount, the price tower and its expiry", async () => {
    const { businessId } = await businessWithKey();
    const book = await activeBook(businessId, { codes: 3, pattern: "SUMMER-{####}", overrides: { discountType: "PERCENT", discountValue: 20, codePrefix: "SUMMER-" } });
    const [code] = await codesOf(book.id);
    const typed = `  ${code!.toLowerCase().replace("-", "- ")} `; // what a shopper might type: " summer- 4532 "

    const res = await promoRedeem({ userId: "ana", code: typed, checkoutId: "chk-1", cart: cartOf(businessId, 10_000, { taxRate: 1000 }), ip: "203.0.113.7" });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ result: "ACCEPTED", couponBookId: book.id, checkoutId: "chk-1", discountAmount: 2000 });
    expect(res.body.reason).toBeUndefined();
    expect(res.body.priceTower).toMatchObject({ subtotal: 10_000, couponDiscount: 2000, shipping: 500, taxableAmount: 8500, tax: 850, total: 9350 });
    const ttl = Date.parse(res.body.expiresAt) - Date.now();
    expect(ttl).toBeGreaterThan(290_000);
    expect(ttl).toBeLessThanOrEqual(300_000);

    const [assignment] = await db.select().from(couponAssignments).where(eq(couponAssignments.userId, "ana"));
    expect(assignment).toMatchObject({ status: "LOCKED", lockCheckoutId: "chk-1", redeemCount: 0 });
    const [reservation] = await db.select().from(redemptions).where(eq(redemptions.id, res.body.reservationId));
    expect(reservation).toMatchObject({ status: "PR_RESERVED", discountAmount: 2000, orderSubtotal: 10_000, orderTotal: 9350, currency: "USD" });
    expect(reservation!.priceTower).toEqual(res.body.priceTower);

    const [attempt] = await attemptsOf("ana");
    expect(attempt).toMatchObject({ result: "ACCEPTED", bookId: book.id, normalizedCodeHash: hashCode(code!), codePrefix: "SUMMER-", checkoutId: "chk-1" });
    expect(attempt!.ipHash).toMatch(/^[0-9a-f]{64}$/);
    const audit = await db.select().from(redemptionAudit).where(eq(redemptionAudit.assignmentId, assignment!.id));
    expect(audit.map((a) => a.action).sort()).toEqual(["ASSIGN", "LOCK"]);
    expect(audit.every((a) => a.ip === "203.0.113.7" && a.actor === "internal")).toBe(true);
  });

  it("the same checkoutId again returns the same reservation; nothing is reserved twice", async () => {
    const { businessId } = await businessWithKey();
    const book = await activeBook(businessId, { codes: 2, overrides: { discountType: "FIXED", discountValue: 700 } });
    const [code] = await codesOf(book.id);
    const body = { userId: "ana", code, checkoutId: "chk-2", cart: cartOf(businessId) };
    const first = await promoRedeem(body);
    const second = await promoRedeem(body);
    expect(second.body).toEqual(first.body);
    expect(await db.select().from(redemptions)).toHaveLength(1);
    expect((await attemptsOf("ana")).map((a) => [a.result, a.reason])).toEqual([
      ["ACCEPTED", "RESERVED"],
      ["ACCEPTED", "SAME_CHECKOUT"],
    ]);
    const locks = await db.select().from(redemptionAudit).where(eq(redemptionAudit.action, "LOCK"));
    expect(locks).toHaveLength(1);
  });

  it("looks the code up among the cart's businesses, first match in item order", async () => {
    const a = await businessWithKey();
    const b = await businessWithKey();
    await genericBook(a.businessId, "WELCOME10", { discountType: "FIXED", discountValue: 100 });
    const bookB = await genericBook(b.businessId, "WELCOME10", { discountType: "FIXED", discountValue: 200 });
    const cart = { currency: "USD", items: [cartOf(b.businessId).items[0], cartOf(a.businessId).items[0]] };
    const res = await promoRedeem({ userId: "ana", code: "welcome10", checkoutId: "chk-3", cart });
    expect(res.body).toMatchObject({ result: "ACCEPTED", couponBookId: bookB.id, discountAmount: 200 });
  });

  it("answers INVALID alike for an unknown code, someone else's code and a disabled code; only the attempt says which", async () => {
    const { token, businessId } = await businessWithKey();
    const book = await activeBook(businessId, { codes: 3, pattern: "VIP-{XXXXXX}", overrides: { codePrefix: "VIP-" } });
    const [owned, disabledCode] = await codesOf(book.id);
    expect((await assignCode({ token }, owned!, { userId: "owner" })).status).toBe(201);
    await db.update(couponCodes).set({ status: "DISABLED" }).where(eq(couponCodes.code, disabledCode!));

    const cart = cartOf(businessId);
    const bodies = [];
    for (const [i, code] of ["VIP-NOPE99", owned!, disabledCode!].entries()) {
      const res = await promoRedeem({ userId: "guesser", code, checkoutId: `g-${i}`, cart });
      expect(res.status).toBe(200);
      bodies.push(res.body);
    }
    expect(bodies).toHaveLength(3);
    expect(bodies.every((b) => b.result === "INVALID" && b.reason === undefined && b.reservationId === null)).toBe(true);
    expect(new Set(bodies.map((b) => JSON.stringify({ ...b, checkoutId: null }))).size).toBe(1);

    const attempts = await attemptsOf("guesser");
    expect(attempts.map((a) => a.reason)).toEqual(["UNKNOWN_CODE", "NOT_OWNER", "CODE_DISABLED"]);
    expect(attempts[0]).toMatchObject({ bookId: null, attributedBookId: book.id, codePrefix: "VIP-" });
    expect(attempts[1]).toMatchObject({ bookId: book.id, attributedBookId: null });
    const [ownerAssignment] = await db.select().from(couponAssignments).where(eq(couponAssignments.userId, "owner"));
    expect(ownerAssignment!.status).toBe("ASSIGNED"); // untouched
  });

  it("answers NOT_APPLICABLE with the reason when a real code's conditions fail", async () => {
    const { businessId } = await businessWithKey();
    const minimum = await genericBook(businessId, "MIN50", { discountType: "FIXED", discountValue: 500, minOrderAmount: 5000 });
    const cases: Array<[string, unknown, string]> = [
      ["MIN50", cartOf(businessId, 4999), "BELOW_MINIMUM"],
      ["MIN50", { ...cartOf(businessId, 9000), currency: "EUR" }, "CURRENCY_MISMATCH"],
    ];
    for (const [i, [code, cart, reason]] of cases.entries()) {
      const res = await promoRedeem({ userId: "ana", code, checkoutId: `na-${i}`, cart });
      expect(res.body).toMatchObject({ result: "NOT_APPLICABLE", reason, reservationId: null, discountAmount: 0 });
      expect(res.body.priceTower.couponDiscount).toBe(0);
    }
    const exactly = await promoRedeem({ userId: "ana", code: "MIN50", checkoutId: "na-ok", cart: cartOf(businessId, 5000) });
    expect(exactly.body).toMatchObject({ result: "ACCEPTED", couponBookId: minimum.id, discountAmount: 500 });
    expect(await db.select().from(redemptions)).toHaveLength(1);
  });

  it("holds one coupon per seller in a checkout (STACKING), coupons of other sellers stack", async () => {
    const a = await businessWithKey();
    const b = await businessWithKey();
    await genericBook(a.businessId, "ASAVE5", { discountType: "FIXED", discountValue: 500 });
    await genericBook(a.businessId, "ASAVE9", { discountType: "FIXED", discountValue: 900 });
    await genericBook(b.businessId, "BSAVE3", { discountType: "FIXED", discountValue: 300 });
    const cart = { currency: "USD", items: [...cartOf(a.businessId).items, ...cartOf(b.businessId).items] };
    const first = await promoRedeem({ userId: "ana", code: "ASAVE5", checkoutId: "multi", cart });
    const second = await promoRedeem({ userId: "ana", code: "ASAVE9", checkoutId: "multi", cart });
    const other = await promoRedeem({ userId: "ana", code: "BSAVE3", checkoutId: "multi", cart });
    expect([first.body.result, second.body.result, other.body.result]).toEqual(["ACCEPTED", "NOT_APPLICABLE", "ACCEPTED"]);
    expect(second.body.reason).toBe("STACKING");
    const elsewhere = await promoRedeem({ userId: "ana", code: "ASAVE9", checkoutId: "another", cart });
    expect(elsewhere.body.result).toBe("ACCEPTED");
  });

  it("answers EXPIRED for a book past expiresAt (no job has run) or archived, PAUSED for a paused book", async () => {
    const { businessId } = await businessWithKey();
    const expired = await genericBook(businessId, "OLD10");
    await db.update(couponBooks).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(couponBooks.id, expired.id));
    await genericBook(businessId, "GONE10", { status: "ARCHIVED" });
    await genericBook(businessId, "HOLD10", { status: "PAUSED", pausedBy: "ops:someone" });
    const cart = cartOf(businessId);
    const results = [];
    for (const code of ["OLD10", "GONE10", "HOLD10"]) results.push((await promoRedeem({ userId: "ana", code, checkoutId: code, cart })).body.result);
    expect(results).toEqual(["EXPIRED", "EXPIRED", "PAUSED"]);
    expect((await attemptsOf("ana")).map((a) => a.reason)).toEqual(["BOOK_EXPIRED", "BOOK_ARCHIVED", "BOOK_PAUSED"]);
    expect(await db.select().from(couponAssignments)).toHaveLength(0);
  });

  it("answers EXHAUSTED for a spent code, a campaign at maxTotalRedemptions and a spent budget", async () => {
    const { businessId } = await businessWithKey();
    const cart = cartOf(businessId);

    await genericBook(businessId, "ONCE", { discountType: "FIXED", discountValue: 100 });
    expect((await promoRedeem({ userId: "ana", code: "ONCE", checkoutId: "o-1", cart })).body.result).toBe("ACCEPTED");
    expect((await promoApply({ checkoutId: "o-1", orderId: "order-1" })).status).toBe(200);
    const spent = await promoRedeem({ userId: "ana", code: "ONCE", checkoutId: "o-2", cart });
    expect(spent.body).toMatchObject({ result: "EXHAUSTED", reason: "CODE_USES_EXHAUSTED" });

    await genericBook(businessId, "FIRST1", { discountType: "FIXED", discountValue: 100, maxTotalRedemptions: 1 });
    expect((await promoRedeem({ userId: "u1", code: "FIRST1", checkoutId: "t-1", cart })).body.result).toBe("ACCEPTED");
    expect((await promoRedeem({ userId: "u2", code: "FIRST1", checkoutId: "t-2", cart })).body).toMatchObject({
      result: "EXHAUSTED",
      reason: "TOTAL_REDEMPTIONS_REACHED",
    });

    await genericBook(businessId, "BUDGET", { discountType: "FIXED", discountValue: 600, budgetAmount: 1000 });
    const full = await promoRedeem({ userId: "u1", code: "BUDGET", checkoutId: "b-1", cart });
    const partial = await promoRedeem({ userId: "u2", code: "BUDGET", checkoutId: "b-2", cart });
    const none = await promoRedeem({ userId: "u3", code: "BUDGET", checkoutId: "b-3", cart });
    expect(full.body.discountAmount).toBe(600);
    expect(partial.body).toMatchObject({ result: "ACCEPTED", discountAmount: 400 });
    expect(partial.body.priceTower.coupon).toMatchObject({ cappedBy: "BUDGET" });
    expect(none.body).toMatchObject({ result: "EXHAUSTED", reason: "BUDGET_EXHAUSTED" });
  });

  it("claims an unassigned code within maxCodesPerUser; a GENERIC code gets one assignment per user", async () => {
    const { businessId } = await businessWithKey();
    const book = await activeBook(businessId, { codes: 3, overrides: { maxCodesPerUser: 1, discountValue: 100 } });
    const [first, second] = await codesOf(book.id);
    const cart = cartOf(businessId);
    expect((await promoRedeem({ userId: "ana", code: first, checkoutId: "c-1", cart })).body.result).toBe("ACCEPTED");
    const over = await promoRedeem({ userId: "ana", code: second, checkoutId: "c-2", cart });
    expect(over.body).toMatchObject({ result: "NOT_APPLICABLE", reason: "MAX_CODES_PER_USER" });
    const [claimed] = await db.select().from(couponCodes).where(eq(couponCodes.code, first!));
    expect(claimed!.status).toBe("ASSIGNED");
    const [unclaimed] = await db.select().from(couponCodes).where(eq(couponCodes.code, second!));
    expect(unclaimed!.status).toBe("AVAILABLE"); // the refused claim was rolled back

    const generic = await genericBook(businessId, "ALL5", { discountType: "FIXED", discountValue: 500, maxRedeemsPerUser: 2 });
    for (const userId of ["u1", "u2", "u1"]) await promoRedeem({ userId, code: "ALL5", checkoutId: `gen-${userId}`, cart });
    const held = await db.select().from(couponAssignments).where(eq(couponAssignments.bookId, generic.id));
    expect(held.map((a) => a.userId).sort()).toEqual(["u1", "u2"]);
  });

  it("refuses a code another checkout holds, until that reservation expires, with no job running", async () => {
    const { businessId } = await businessWithKey();
    await genericBook(businessId, "SHORT", { discountType: "FIXED", discountValue: 100 });
    const cart = cartOf(businessId);
    expect((await promoRedeem({ userId: "ana", code: "SHORT", checkoutId: "tab-1", cart })).body.result).toBe("ACCEPTED");
    const busy = await promoRedeem({ userId: "ana", code: "SHORT", checkoutId: "tab-2", cart });
    expect(busy.body).toMatchObject({ result: "NOT_APPLICABLE", reason: "RESERVED_BY_ANOTHER_CHECKOUT" });
    expect(await backdateLocks(db, { businessId, checkoutId: "tab-1" })).toEqual({ locks: 1, reservations: 1 });
    expect((await promoRedeem({ userId: "ana", code: "SHORT", checkoutId: "tab-2", cart })).body.result).toBe("ACCEPTED");
    const rows = await db.select().from(redemptions).orderBy(redemptions.createdAt);
    expect(rows.map((r) => [r.checkoutId, r.status])).toEqual([
      ["tab-1", "PR_EXPIRED"],
      ["tab-2", "PR_RESERVED"],
    ]);
  });

  it("RATE_LIMITED per shopper and per ip (429, Retry-After) changes no coupon state", async () => {
    const restore = replaceRateLimiter(
      createRateLimiter({ redis: null, backend: "memory", perMinute: { user: 2, ip: 3, apiKey: 100 }, prefix: "unused", timeoutMs: 100 }),
    );
    const unfreeze = freezeDateMidMinute();
    restoreLimiter = () => (restore(), unfreeze());
    const { businessId } = await businessWithKey();
    const book = await activeBook(businessId, { codes: 10, overrides: { maxCodesPerUser: 10, discountValue: 100 } });
    const codes = await codesOf(book.id);
    const cart = cartOf(businessId);
    for (let i = 0; i < 2; i++) expect((await promoRedeem({ userId: "ana", code: codes[i], checkoutId: `r-${i}`, cart })).body.result).toBe("ACCEPTED");

    const before = await stateCounts();
    const limited = await promoRedeem({ userId: "ana", code: codes[2], checkoutId: "r-2", cart });
    expect(limited.status).toBe(429);
    expect(limited.body).toEqual({
      error: "Too many attempts; retry later",
      code: "RATE_LIMITED",
      result: "RATE_LIMITED",
      reservationId: null,
      couponBookId: null,
      checkoutId: "r-2",
      discountAmount: 0,
      priceTower: null,
      expiresAt: null,
      retryAfter: Number(limited.headers.get("retry-after")),
    });
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await stateCounts()).toEqual(before);
    const [code2] = await db.select().from(couponCodes).where(eq(couponCodes.code, codes[2]!));
    expect(code2!.status).toBe("AVAILABLE");
    expect((await attemptsOf("ana")).at(-1)).toMatchObject({ result: "RATE_LIMITED", reason: "RATE_LIMITED_USER", bookId: null });

    // Per ip: three different shoppers behind one address, the fourth is refused.
    const byIp = [];
    for (const userId of ["p1", "p2", "p3", "p4"]) byIp.push(await promoRedeem({ userId, code: "NOPE-123", checkoutId: userId, cart, ip: "198.51.100.4" }));
    expect(byIp.map((r) => r.status)).toEqual([200, 200, 200, 429]);
    expect((await attemptsOf("p4"))[0]).toMatchObject({ reason: "RATE_LIMITED_IP" });
  });

  it("does not wait for a transaction holding an uncapped book's row", async () => {
    const { businessId } = await businessWithKey();
    const book = await genericBook(businessId, "FREE5", { discountType: "FIXED", discountValue: 500 });
    const res = await withBookRowHeld(book.id, () => promoRedeem({ userId: "ana", code: "FREE5", checkoutId: "held", cart: cartOf(businessId) }));
    expect(res).not.toBe("blocked");
    expect((res as Awaited<ReturnType<typeof promoRedeem>>).body.result).toBe("ACCEPTED");
  });

  it("validates its input: 400 for a malformed body, 401 without a token, 403 for an API key or a shopper", async () => {
    const { token, businessId } = await businessWithKey();
    expect((await promoRedeem({ userId: "ana", code: "X", checkoutId: "c" })).body).toMatchObject({ code: "VALIDATION_ERROR" });
    expect((await promoRedeem({ userId: "ana", code: "X", checkoutId: "c", cart: { currency: "usd", items: [] } })).status).toBe(400);
    expect((await promoRedeem({ userId: "ana", code: "X", checkoutId: "c", cart: cartOf(businessId), ip: "not-an-ip" })).status).toBe(400);
    expect((await promoRedeem({}, {})).status).toBe(401);
    expect((await promoRedeem({}, { token })).status).toBe(403);
    expect((await promoRedeem({}, { cookie: await sessionCookie({ uid: "s", role: "shopper" }) })).status).toBe(403);
    const ops = await promoRedeem({ userId: "ana", code: "NOPE-1", checkoutId: "c", cart: cartOf(businessId) }, { cookie: await sessionCookie({ uid: "o", role: "ops" }) });
    expect(ops.body.result).toBe("INVALID");
    expect(await db.select().from(promoAttempts).where(and(eq(promoAttempts.userId, "ana"), eq(promoAttempts.result, "INVALID")))).toHaveLength(1);
  });
});
