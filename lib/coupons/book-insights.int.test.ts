import { randomUUID } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "@/db/client";
import { couponCodes, redemptions } from "@/db/schema";
import type { Actor } from "@/lib/auth/actor";
import { Cart } from "@/lib/pricing/schemas";
import { recordAttempt } from "@/lib/promo/attempts";
import { activeBook, businessWithKey } from "@/testing/fixtures";
import { assignCode } from "./assign-code";
import { getBookInsights } from "./book-insights";
import { listBookAudit } from "./list-book-audit";
import { listBooksWithUsage } from "./list-books";
import { listCampaigns } from "@/lib/ops/list-campaigns";
import { lockCoupon } from "./lock-coupon";
import { redeemCoupon } from "./redeem-coupon";

const META = { ip: null, userAgent: null };
const cartOf = (businessId: string) => Cart.parse({ currency: "USD", items: [{ sku: "tee", businessId, unitPrice: 10_000, quantity: 1 }] });

async function bookWithTraffic() {
  const { businessId } = await businessWithKey();
  const seller: Actor = { kind: "user", role: "seller", userId: randomUUID(), businessId };
  const book = await activeBook(businessId, { codes: 5, overrides: { discountType: "PERCENT", discountValue: 10, budgetAmount: 50_000 } });
  const codes = (await db.select({ code: couponCodes.code }).from(couponCodes).where(eq(couponCodes.bookId, book.id))).map((c) => c.code).sort();
  for (const [i, code] of codes.slice(0, 3).entries()) await assignCode(db, seller, code, { userId: `shopper-${i}` }, META);
  // shopper-0 redeems (1,000 off), shopper-1 holds a live lock, shopper-2 only holds the code.
  await lockCoupon(db, seller, codes[0]!, { userId: "shopper-0", checkoutId: "c-0", cart: cartOf(businessId) }, META);
  await redeemCoupon(db, seller, codes[0]!, { userId: "shopper-0", checkoutId: "c-0", orderId: "o-0" }, META);
  await lockCoupon(db, seller, codes[1]!, { userId: "shopper-1", checkoutId: "c-1", cart: cartOf(businessId) }, META);
  return { businessId, seller, book, codes };
}

describe("a book's insights", () => {
  it("funnel, budget, the series over the window with the budget spent to date, refusals by result and reason", async () => {
    const { businessId, seller, book } = await bookWithTraffic();
    for (const n of [1, 2, 3]) {
      await recordAttempt(db, { code: `T-GUESS${n}`, userId: `guesser-${n}`, checkoutId: null, ip: null, businessIds: [businessId], book: null, result: "INVALID", reason: "UNKNOWN_CODE", actor: "internal" });
    }
    const insights = await getBookInsights(db, seller, book.id, { window: "24h" });
    expect(insights.funnel).toEqual({ codes: 5, assigned: 3, locked: 1, redeemed: 1 });
    expect(insights.uses).toBe(1);
    expect(insights.budget).toEqual({ cap: 50_000, spent: 1_000, reserved: 1_000 });
    expect(insights.bucket).toBe("hour");
    expect(insights.series).toHaveLength(24);
    expect(insights.series.at(-1)).toMatchObject({ redemptions: 1, discount: 1_000, spentToDate: 1_000 });
    expect(insights.series.slice(0, -1).every((b) => b.redemptions === 0 && b.spentToDate === 0)).toBe(true);
    // The prefix T- attributes the unknown codes to this book; the attempt rows hold hashes only.
    expect(insights.refusals).toEqual([{ result: "INVALID", reason: "UNKNOWN_CODE", attempts: 3 }]);
  });

  it("an expired lock is not locked, and a use applied before the window counts in the budget spent to date", async () => {
    const { seller, book } = await bookWithTraffic();
    await db.execute(sql`update coupon_assignments set locked_until = now() - interval '1 second' where book_id = ${book.id} and status = 'LOCKED'`);
    await db.update(redemptions).set({ appliedAt: sql`now() - interval '3 days'` }).where(eq(redemptions.bookId, book.id));
    const insights = await getBookInsights(db, seller, book.id, { window: "24h" });
    expect(insights.funnel.locked).toBe(0);
    expect(insights.series.every((b) => b.redemptions === 0)).toBe(true);
    expect(insights.series.at(-1)!.spentToDate).toBe(1_000);
    const week = await getBookInsights(db, seller, book.id, { window: "7d" });
    expect(week.series).toHaveLength(7);
    expect(week.series.reduce((sum, b) => sum + b.redemptions, 0)).toBe(1);
  });

  it("another business's book is not found, and its audit trail neither", async () => {
    const { book } = await bookWithTraffic();
    const stranger: Actor = { kind: "user", role: "seller", userId: randomUUID(), businessId: (await businessWithKey()).businessId };
    await expect(getBookInsights(db, stranger, book.id, { window: "7d" })).rejects.toMatchObject({ code: "BOOK_NOT_FOUND" });
    await expect(listBookAudit(db, stranger, book.id, { limit: 10, offset: 0 })).rejects.toMatchObject({ code: "BOOK_NOT_FOUND" });
  });

  it("the audit trail: newest first, paginated, without ip or user agent", async () => {
    const { seller, book } = await bookWithTraffic();
    const all = await listBookAudit(db, seller, book.id, { limit: 100, offset: 0 });
    expect(all.data.map((row) => row.action)).toEqual(["LOCK", "REDEEM", "LOCK", "ASSIGN", "ASSIGN", "ASSIGN", "GENERATE"]);
    expect(all.total).toBe(7);
    const second = await listBookAudit(db, seller, book.id, { limit: 2, offset: 2 });
    expect(second.data.map((row) => row.id)).toEqual(all.data.slice(2, 4).map((row) => row.id));
    expect(second.total).toBe(all.total);
    expect(Object.keys(all.data[0]!)).not.toContain("ip");
  });

  it("the seller's books list carries the usage the ops campaigns list shows, from the same service", async () => {
    const { businessId, seller, book } = await bookWithTraffic();
    const page = await listBooksWithUsage(db, seller, { limit: 50, offset: 0 });
    expect(page.total).toBe(1);
    expect(page.data[0]!.usage).toMatchObject({
      codes: { total: 5, available: 2, assigned: 3, disabled: 0 },
      assignments: 3,
      redeemedAssignments: 1,
      conversion: 1 / 3,
      appliedUses: 1,
      liveReservations: 1,
      discountApplied: 1_000,
      discountReserved: 1_000,
      remainingBudget: 48_000,
    });
    const ops = await listCampaigns(db, { businessId, limit: 50, offset: 0 });
    expect(ops.data.find((c) => c.id === book.id)!.usage).toEqual(page.data[0]!.usage);
  });
});
