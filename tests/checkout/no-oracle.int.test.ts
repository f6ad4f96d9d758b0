import { randomUUID } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "@/db/client";
import { couponBooks } from "@/db/schema";
import { assignCode, codesOf } from "@/testing/coupon-api";
import { activeBook, businessWithKey } from "@/testing/fixtures";
import { sessionCookie, testUserId } from "@/testing/http";
import { cartOf, internal, promoRedeem, validate } from "@/testing/promo-api";

/** Without the code, which is the only field an answer may echo back. */
function withoutCode(body: Record<string, unknown>) {
  const copy = { ...body };
  delete copy.code;
  return copy;
}

/**
 * A UNIQUE book of 3 codes, `held` assigned to its owner and two left unassigned, then moved to
 * `status` (assignments only happen while ACTIVE).
 */
async function bookIn(status: "PAUSED" | "ARCHIVED") {
  const business = await businessWithKey();
  const book = await activeBook(business.businessId, { codes: 3, pattern: "HUSH-{XXXXXXXX}" });
  const [held, unassigned, unassignedToo] = await codesOf(book.id);
  const run = randomUUID().slice(0, 8);
  // Shoppers who sign in here are users: their session id is their users.id.
  const owner = testUserId(`owner-${run}`);
  expect((await assignCode({ token: business.token }, held!, { userId: owner })).status).toBe(201);
  await db
    .update(couponBooks)
    .set({ status, pausedBy: status === "PAUSED" ? "ops:someone" : null })
    .where(eq(couponBooks.id, book.id));
  return { ...business, book, held: held!, unassigned: unassigned!, unassignedToo: unassignedToo!, owner, stranger: testUserId(`stranger-${run}`), run };
}

async function reasonsOf(userId: string) {
  const rows = await db.execute<{ result: string; reason: string; book_id: string | null }>(
    sql`select result::text, reason, book_id from promo_attempts where user_id = ${userId} order by attempted_at, id`,
  );
  return rows.map((r) => [r.result, r.reason, r.book_id]);
}

describe.each([
  ["PAUSED", "PAUSED", "BOOK_PAUSED"],
  ["ARCHIVED", "EXPIRED", "BOOK_ARCHIVED"],
] as const)("no oracle: a %s UNIQUE book", (status, ownerResult, cause) => {
  it("internal redeem: someone else's code and an unassigned one answer exactly like an unknown code; the owner learns the cause", async () => {
    const b = await bookIn(status);
    const cart = cartOf(b.businessId);
    const tryAs = (userId: string, code: string) => promoRedeem({ userId, code, checkoutId: `chk-${b.run}`, cart });

    const unknown = await tryAs(b.stranger, "HUSH-NOSUCH99");
    const foreign = await tryAs(b.stranger, b.held);
    const unassigned = await tryAs(b.stranger, b.unassigned);
    expect(unknown.status).toBe(200);
    expect(unknown.body).toMatchObject({ result: "INVALID", couponBookId: null, reservationId: null });
    expect(unknown.body).not.toHaveProperty("reason");
    for (const res of [foreign, unassigned]) {
      expect(res.status).toBe(unknown.status);
      expect(res.body).toEqual(unknown.body);
    }
    // Ops still see the precise cause, on the code's book.
    expect(await reasonsOf(b.stranger)).toEqual([
      ["INVALID", "UNKNOWN_CODE", null],
      ["INVALID", "NOT_OWNER", b.book.id],
      ["INVALID", cause, b.book.id],
    ]);

    const own = await tryAs(b.owner, b.held);
    expect(own.body).toMatchObject({ result: ownerResult, reason: cause });
  });

  it("validate: the same for the internal caller and for shopper sessions; the seller's key, which owns the codes, sees the cause", async () => {
    const b = await bookIn(status);
    const cart = cartOf(b.businessId);
    const strangerSession = { cookie: await sessionCookie({ uid: b.stranger, role: "shopper" }) };
    for (const [who, body] of [
      [internal(), { userId: b.stranger, cart }],
      [strangerSession, { cart }],
    ] as const) {
      const unknown = await validate(who, "HUSH-NOSUCH99", body);
      expect(unknown.status).toBe(200);
      expect(unknown.body).toMatchObject({ result: "INVALID", applicable: false, couponBookId: null });
      expect(unknown.body).not.toHaveProperty("reason");
      for (const code of [b.held, b.unassigned]) {
        const res = await validate(who, code, body);
        expect(res.status).toBe(unknown.status);
        expect(withoutCode(res.body)).toEqual(withoutCode(unknown.body));
      }
    }

    const ownerSession = { cookie: await sessionCookie({ uid: b.owner, role: "shopper" }) };
    expect((await validate(ownerSession, b.held, { cart })).body).toMatchObject({ result: ownerResult, reason: cause });
    expect((await validate(internal(), b.held, { userId: b.owner, cart })).body).toMatchObject({ result: ownerResult, reason: cause });
    // Sellers and their keys own the codes: precise answers (DESIGN §6).
    expect((await validate({ token: b.token }, b.unassignedToo, { userId: b.stranger, cart })).body).toMatchObject({ result: ownerResult, reason: cause });
  });
});
