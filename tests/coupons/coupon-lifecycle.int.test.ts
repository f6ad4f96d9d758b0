import { eq, sql } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { GET as listUserRoute } from "@/app/api/assignments/user/[userId]/route";
import { POST as createBookRoute } from "@/app/api/coupon-books/route";
import { db } from "@/db/client";
import { backdateLocks } from "@/db/testing/backdate-locks";
import { couponBooks, couponCodes, redemptionAudit, redemptions } from "@/db/schema";
import { assignCode, assignRandom, codesOf, lock, redeem, unlock } from "@/testing/coupon-api";
import { activeBook, businessWithKey } from "@/testing/fixtures";
import { call, sessionCookie, testUserId } from "@/testing/http";
import { overrideSettings, restoreSettings } from "@/testing/settings";

afterEach(restoreSettings);

// Shoppers are users who sign in here: their ids are users.id values.
const JUAN = testUserId("juan");
const PEPE = testUserId("pepe");

async function setup(overrides: Partial<typeof couponBooks.$inferInsert> = {}, codes = 3) {
  const owner = await businessWithKey();
  const book = await activeBook(owner.businessId, { codes, overrides });
  const { body } = await assignRandom({ token: owner.token }, { couponBookId: book.id, userId: JUAN });
  return { ...owner, book, code: body.code as string };
}

describe("assignments", () => {
  it("assigns a random code with the seed's response shape", async () => {
    const { token, businessId } = await businessWithKey();
    const book = await activeBook(businessId, { codes: 3 });
    const res = await assignRandom({ token }, { couponBookId: book.id, userId: "user-juan" });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ code: expect.stringMatching(/^T-/), status: "ASSIGNED", couponBookId: book.id, redeemCount: 0 });
    expect(typeof res.body.id).toBe("string");
    expect(typeof res.body.assignedAt).toBe("string");
  });

  it("refuses DRAFT, PAUSED and expired books, unknown books and other businesses' books", async () => {
    const { token, businessId } = await businessWithKey();
    const other = await businessWithKey();
    const draft = await activeBook(businessId, { overrides: { status: "DRAFT" } });
    expect((await assignRandom({ token }, { couponBookId: draft.id, userId: "u" })).body.code).toBe("BOOK_NOT_ACTIVE");
    const paused = await activeBook(businessId, { overrides: { status: "PAUSED" } });
    expect((await assignRandom({ token }, { couponBookId: paused.id, userId: "u" })).body.code).toBe("BOOK_NOT_ACTIVE");
    const expiring = await activeBook(businessId);
    await db.update(couponBooks).set({ expiresAt: sql`now() - interval '1 second'` }).where(eq(couponBooks.id, expiring.id));
    expect((await assignRandom({ token }, { couponBookId: expiring.id, userId: "u" })).body.code).toBe("BOOK_EXPIRED");
    const foreign = await assignRandom({ token: other.token }, { couponBookId: draft.id, userId: "u" });
    expect(foreign.status).toBe(404);
    const missing = await assignRandom({ token }, { couponBookId: "00000000-0000-4000-8000-000000000000", userId: "u" });
    expect(missing.status).toBe(404);
    expect((await assignRandom({ token }, { couponBookId: draft.id })).status).toBe(400);
    expect((await assignRandom({}, { couponBookId: draft.id, userId: "u" })).status).toBe(401);
  });

  it("assigns a named code, normalizing what was typed; a taken code is 409", async () => {
    const { token, businessId } = await businessWithKey();
    const book = await activeBook(businessId, { codes: 2 });
    const [code] = await codesOf(book.id);
    const res = await assignCode({ token }, ` ${code!.toLowerCase()} `, { userId: "ana" });
    expect(res.status).toBe(201);
    expect(res.body.code).toBe(code);
    const again = await assignCode({ token }, code!, { userId: "bob" });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe("COUPON_ALREADY_ASSIGNED");
    expect((await assignCode({ token }, "NOPE-0000", { userId: "bob" })).status).toBe(404);
  });

  it("lists a user's coupons with their live state; shoppers see only their own", async () => {
    const { token, businessId, code, book } = await setup();
    await lock({ token }, code, { userId: JUAN, checkoutId: "c1" });
    const res = await call(listUserRoute, { path: `/api/assignments/user/${JUAN}`, params: { userId: JUAN }, token });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ total: 1, limit: 50, offset: 0 });
    expect(res.body.data[0]).toMatchObject({ code, status: "LOCKED", couponBookId: book.id, maxRedeems: 1 });
    expect(res.body.data[0].lockedUntil).toBeTruthy();

    const other = await businessWithKey();
    const foreign = await call(listUserRoute, { path: `/api/assignments/user/${JUAN}`, params: { userId: JUAN }, token: other.token });
    expect(foreign.body.total).toBe(0);
    const shopper = await sessionCookie({ uid: JUAN, role: "shopper" });
    expect((await call(listUserRoute, { path: `/api/assignments/user/${JUAN}`, params: { userId: JUAN }, cookie: shopper })).body.total).toBe(1);
    const nosy = await sessionCookie({ uid: PEPE, role: "shopper" });
    expect((await call(listUserRoute, { path: `/api/assignments/user/${JUAN}`, params: { userId: JUAN }, cookie: nosy })).status).toBe(403);
    expect(businessId).toBeTruthy();
  });
});

describe("lock, unlock, redeem", () => {
  it("locks for the book's TTL, unlocks, and records every change in the audit with ip and user agent", async () => {
    const { token, code, book } = await setup();
    const locked = await lock({ token }, code, { userId: JUAN, checkoutId: "cart-1" });
    expect(locked.status).toBe(200);
    expect(locked.body).toMatchObject({ code, status: "LOCKED" });
    const ttl = new Date(locked.body.lockedUntil).getTime() - new Date(locked.body.lockedAt).getTime();
    expect(ttl).toBe(300_000);
    const unlocked = await unlock({ token }, code, { userId: JUAN });
    expect(unlocked.body).toEqual({ code, status: "ASSIGNED" });
    expect((await unlock({ token }, code, { userId: JUAN })).body.code).toBe("COUPON_NOT_LOCKED");

    const [reservation] = await db.select().from(redemptions).where(eq(redemptions.bookId, book.id));
    expect(reservation).toMatchObject({ checkoutId: "cart-1", status: "PR_RELEASED" });
    const audit = await db.select().from(redemptionAudit).where(eq(redemptionAudit.bookId, book.id)).orderBy(redemptionAudit.at);
    expect(audit.map((a) => a.action)).toEqual(["GENERATE", "ASSIGN", "LOCK", "UNLOCK"]);
    const lockRow = audit.find((a) => a.action === "LOCK")!;
    expect(lockRow).toMatchObject({ previousStatus: "ASSIGNED", newStatus: "LOCKED", checkoutId: "cart-1", userId: JUAN });
    // The audit row is written with the lock, not after it: its lockedUntil is the lock's, to the millisecond.
    expect(lockRow.details).toEqual({ lockedUntil: locked.body.lockedUntil, discountAmount: 0 });
  });

  it("keeps the caller's ip and user agent in the audit", async () => {
    const { token, code, book } = await setup();
    const { POST } = await import("@/app/api/coupons/[code]/lock/route");
    // A CDN then a load balancer: the client is the second address from the right.
    overrideSettings({ TRUSTED_PROXY_HOPS: "2" });
    await call(POST, {
      path: `/api/coupons/${code}/lock`,
      params: { code },
      token,
      body: { userId: JUAN },
      headers: { "x-forwarded-for": "203.0.113.9, 10.0.0.1", "user-agent": "checkout-test/1.0" },
    });
    const [row] = await db.select().from(redemptionAudit).where(eq(redemptionAudit.action, "LOCK"));
    expect(row).toMatchObject({ ip: "203.0.113.9", userAgent: "checkout-test/1.0", bookId: book.id });
  });

  it("re-locking with the same checkoutId returns the lock unchanged; another checkout gets 409 with lockedUntil", async () => {
    const { token, code } = await setup();
    const first = await lock({ token }, code, { userId: JUAN, checkoutId: "cart-1" });
    // The live lock moved a minute back: a re-lock that extended it would answer a later lockedUntil.
    expect(await backdateLocks(db, { checkoutId: "cart-1" }, { seconds: 60 })).toEqual({ locks: 1, reservations: 1 });
    const minuteEarlier = (iso: string) => new Date(Date.parse(iso) - 60_000).toISOString();
    const held = { ...first.body, lockedAt: minuteEarlier(first.body.lockedAt), lockedUntil: minuteEarlier(first.body.lockedUntil) };
    const again = await lock({ token }, code, { userId: JUAN, checkoutId: "cart-1" });
    expect(again.body).toEqual(held);
    const other = await lock({ token }, code, { userId: JUAN, checkoutId: "cart-2" });
    expect(other.status).toBe(409);
    expect(other.body).toMatchObject({ code: "COUPON_LOCKED", lockedUntil: held.lockedUntil });
    const wrongRedeem = await redeem({ token }, code, { userId: JUAN, checkoutId: "cart-2" });
    expect(wrongRedeem.status).toBe(409);
    expect((await unlock({ token }, code, { userId: JUAN, checkoutId: "cart-2" })).status).toBe(409);
  });

  it("a single-use code: lock, redeem (consuming the lock), then 400 COUPON_ALREADY_REDEEMED", async () => {
    const { token, code, book } = await setup();
    await lock({ token }, code, { userId: JUAN, checkoutId: "cart-1" });
    const res = await redeem({ token }, code, { userId: JUAN });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ code, status: "REDEEMED", redeemCount: 1, maxRedeems: 1, isFinalRedeem: true, checkoutId: "cart-1" });
    expect(res.body.redeemedAt).toBeTruthy();
    const reuse = await redeem({ token }, code, { userId: JUAN });
    expect(reuse.status).toBe(400);
    expect(reuse.body).toMatchObject({ code: "COUPON_ALREADY_REDEEMED", status: "REDEEMED", error: expect.any(String) });
    expect((await lock({ token }, code, { userId: JUAN })).body.code).toBe("COUPON_ALREADY_REDEEMED");
    const [ledger] = await db.select().from(redemptions).where(eq(redemptions.bookId, book.id));
    expect(ledger).toMatchObject({ status: "PR_APPLIED", checkoutId: "cart-1", redeemNumber: 1 });
  });

  it("multi-use (maxRedeemsPerUser=3): ASSIGNED, ASSIGNED, REDEEMED, then refused", async () => {
    const { token, code } = await setup({ maxRedeemsPerUser: 3 });
    const results = [];
    for (let i = 0; i < 4; i++) results.push(await redeem({ token }, code, { userId: JUAN }));
    expect(results.slice(0, 3).map((r) => [r.body.status, r.body.redeemCount, r.body.isFinalRedeem])).toEqual([
      ["ASSIGNED", 1, false],
      ["ASSIGNED", 2, false],
      ["REDEEMED", 3, true],
    ]);
    expect(results[0]!.body.redeemedAt).toBeNull();
    expect(results[3]!.status).toBe(400);
    expect(results[3]!.body.code).toBe("COUPON_ALREADY_REDEEMED");
  });

  it("sequential redeems below the limit all succeed, through locks too", async () => {
    const { token, code } = await setup({ maxRedeemsPerUser: 4 });
    for (let i = 1; i <= 4; i++) {
      if (i % 2 === 0) expect((await lock({ token }, code, { userId: JUAN, checkoutId: `cart-${i}` })).status).toBe(200);
      const res = await redeem({ token }, code, { userId: JUAN, orderId: `order-${i}` });
      expect(res.status).toBe(200);
      expect(res.body.redeemCount).toBe(i);
    }
  });

  it("the same orderId replayed returns the first result without consuming again", async () => {
    const { token, code } = await setup({ maxRedeemsPerUser: 2 });
    const first = await redeem({ token }, code, { userId: JUAN, orderId: "order-9" });
    const replay = await redeem({ token }, code, { userId: JUAN, orderId: "order-9" });
    expect(replay.body).toEqual(first.body);
    const second = await redeem({ token }, code, { userId: JUAN, orderId: "order-10" });
    expect(second.body).toMatchObject({ redeemCount: 2, isFinalRedeem: true });
    expect((await redeem({ token }, code, { userId: JUAN, orderId: "order-9" })).body).toEqual(first.body);
  });

  it("a book past expiresAt refuses lock and redeem before any job runs", async () => {
    const { token, code, book } = await setup();
    await db.update(couponBooks).set({ expiresAt: sql`now() - interval '1 second'` }).where(eq(couponBooks.id, book.id));
    const res = await redeem({ token }, code, { userId: JUAN });
    expect(res.status).toBe(409);
    expect(res.body.code).toBe("BOOK_EXPIRED");
    expect((await lock({ token }, code, { userId: JUAN })).body.code).toBe("BOOK_EXPIRED");
    const [stored] = await db.select().from(couponBooks).where(eq(couponBooks.id, book.id));
    expect(stored!.status).toBe("ACTIVE");
  });

  it("a paused book refuses redeem; a disabled code is refused", async () => {
    const { token, code, book } = await setup();
    await db.update(couponBooks).set({ status: "PAUSED" }).where(eq(couponBooks.id, book.id));
    expect((await redeem({ token }, code, { userId: JUAN })).body.code).toBe("BOOK_NOT_ACTIVE");
    await db.update(couponBooks).set({ status: "ACTIVE" }).where(eq(couponBooks.id, book.id));
    await db.update(couponCodes).set({ status: "DISABLED" }).where(eq(couponCodes.code, code));
    expect((await redeem({ token }, code, { userId: JUAN })).body.code).toBe("COUPON_DISABLED");
  });

  it("another user's lock or redeem is refused", async () => {
    const { token, code } = await setup();
    expect((await lock({ token }, code, { userId: JUAN })).status).toBe(200);
    const steal = await redeem({ token }, code, { userId: PEPE });
    expect(steal.status).toBe(409);
    expect(steal.body.code).toBe("COUPON_NOT_ASSIGNED_TO_USER");
    expect((await lock({ token }, code, { userId: PEPE })).status).toBe(409);
    expect((await unlock({ token }, code, { userId: PEPE })).status).toBe(409);
    const other = await businessWithKey();
    expect((await redeem({ token: other.token }, code, { userId: JUAN })).status).toBe(404);
  });

  it("lockTtlSeconds=60: the lock lasts 60 s; once that has passed a new checkout can lock, with no job running", async () => {
    const { token, code, book } = await setup({ lockTtlSeconds: 60 });
    const first = await lock({ token }, code, { userId: JUAN, checkoutId: "slow-cart" });
    expect(first.status).toBe(200);
    expect(Date.parse(first.body.lockedUntil) - Date.parse(first.body.lockedAt)).toBe(60_000);
    expect((await lock({ token }, code, { userId: JUAN, checkoutId: "new-cart" })).status).toBe(409);
    expect(await backdateLocks(db, { bookId: book.id, checkoutId: "slow-cart" })).toEqual({ locks: 1, reservations: 1 });
    const relock = await lock({ token }, code, { userId: JUAN, checkoutId: "new-cart" });
    expect(relock.status).toBe(200);
    const ledger = await db.select().from(redemptions).where(eq(redemptions.bookId, book.id)).orderBy(redemptions.createdAt);
    expect(ledger.map((r) => [r.checkoutId, r.status])).toEqual([
      ["slow-cart", "PR_EXPIRED"],
      ["new-cart", "PR_RESERVED"],
    ]);
  });

  it("validates bodies: a bad JSON body is 400, a missing userId is 400, no key is 401", async () => {
    const { token, code } = await setup();
    const { POST } = await import("@/app/api/coupons/[code]/redeem/route");
    expect((await call(POST, { path: `/api/coupons/${code}/redeem`, params: { code }, token, body: "{" })).body.code).toBe("INVALID_JSON");
    expect((await redeem({ token }, code, {})).status).toBe(400);
    expect((await redeem({ token }, code, { userId: 42 })).status).toBe(400);
    expect((await redeem({}, code, { userId: JUAN })).status).toBe(401);
  });
});

describe("shopper sessions", () => {
  it("act for the signed-in shopper only, with one answer for unknown and foreign codes", async () => {
    const { token, code } = await setup();
    const juan = await sessionCookie({ uid: JUAN, role: "shopper" });
    const pepe = await sessionCookie({ uid: PEPE, role: "shopper" });
    expect((await lock({ cookie: juan }, code, {})).status).toBe(200);
    expect((await lock({ cookie: juan }, code, { userId: PEPE })).status).toBe(403);
    const foreign = await redeem({ cookie: pepe }, code, {});
    const unknown = await redeem({ cookie: pepe }, "NOPE-12345", {});
    expect(foreign.status).toBe(404);
    expect(foreign.body).toEqual(unknown.body);
    // A shopper cannot claim a UNIQUE code by naming it: same answer as an unknown code.
    const { businessId } = await businessWithKey();
    const book = await activeBook(businessId, { codes: 1 });
    const [free] = await codesOf(book.id);
    const claim = await assignCode({ cookie: pepe }, free!, { businessId });
    expect(claim.status).toBe(404);
    expect((await redeem({ cookie: juan }, code, {})).body).toMatchObject({ status: "REDEEMED", isFinalRedeem: true });
    expect(token).toBeTruthy();
  });

  it("claim a GENERIC code once each; each shopper redeems their own uses", async () => {
    const { token, businessId } = await businessWithKey();
    const created = await call(createBookRoute, {
      path: "/api/coupon-books",
      token,
      body: { name: "Welcome", codeKind: "GENERIC", code: "WELCOME10", maxRedeemsPerUser: 1 },
    });
    const { PUT } = await import("@/app/api/coupon-books/[id]/route");
    await call(PUT, { method: "PUT", path: `/api/coupon-books/${created.body.id}`, params: { id: created.body.id }, token, body: { status: "ACTIVE" } });
    for (const uid of ["s1", "s2"]) {
      const cookie = await sessionCookie({ uid, role: "shopper" });
      const claim = await assignCode({ cookie }, "welcome10", { businessId });
      expect(claim.status).toBe(201);
      expect((await assignCode({ cookie }, "WELCOME10", { businessId })).body.code).toBe("COUPON_ALREADY_ASSIGNED");
      expect((await redeem({ cookie }, "WELCOME10", {})).status).toBe(200);
      expect((await redeem({ cookie }, "WELCOME10", {})).status).toBe(400);
    }
    // A seller-side call assigns the public code on first use.
    expect((await redeem({ token }, "WELCOME10", { userId: "s3" })).status).toBe(200);
  });
});
