import { and, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "@/db/client";
import { bookCapUsage, couponAssignments, purchases, redemptionAudit, redemptions } from "@/db/schema";
import { activeBook, businessWithKey, genericBook } from "@/testing/fixtures";
import { sessionCookie, testUserId } from "@/testing/http";
import { refundRollback, reportRefund } from "@/testing/ops-api";
import { cartOf, promoApply, promoRedeem, twoSellerCheckout } from "@/testing/promo-api";
import { withSettings } from "@/testing/settings";
import { loadJob } from "@/lib/maintenance/registry";
import { refundRollbackJob } from "@/lib/refunds/refund-rollback-job";

const parallel = <T>(n: number, fn: (i: number) => Promise<T>) => Promise.all(Array.from({ length: n }, (_, i) => fn(i)));

/** One paid use of `code`: reserved at checkout `checkoutId`, applied to `orderId`. */
async function pay(businessId: string, code: string, userId: string, checkoutId: string, orderId: string) {
  const reserved = await promoRedeem({ userId, code, checkoutId, cart: cartOf(businessId) });
  expect(reserved.body.result).toBe("ACCEPTED");
  const applied = await promoApply({ checkoutId, orderId });
  expect(applied.status).toBe(200);
  return applied.body.purchases[0] as { id: string; orderId: string };
}

async function paidOrder(overrides: Parameters<typeof genericBook>[2] = {}) {
  const { businessId, token } = await businessWithKey();
  const book = await genericBook(businessId, "SAVE5", { discountType: "FIXED", discountValue: 500, ...overrides });
  const purchase = await pay(businessId, "SAVE5", "ana", "chk-1", "order-1");
  return { businessId, token, book, purchase };
}

const assignmentOf = async (userId: string) => (await db.select().from(couponAssignments).where(eq(couponAssignments.userId, userId)))[0]!;
const auditRows = (action: string) => db.select().from(redemptionAudit).where(eq(redemptionAudit.action, action));
const redemptionStatuses = async () => (await db.select({ status: redemptions.status, orderId: redemptions.orderId }).from(redemptions).orderBy(redemptions.orderId)).map((r) => `${r.orderId}:${r.status}`);

describe("POST /api/internal/promo/purchases/:orderId/refund", () => {
  it("marks the order's PAID purchases REFUNDED (audited), idempotently; their uses wait for the job", async () => {
    const { businessId, purchase } = await paidOrder();
    const res = await reportRefund("order-1", { reason: "customer returned the item" });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      orderId: "order-1",
      refunded: 1,
      purchases: [{ id: purchase.id, businessId, status: "REFUNDED", refundReason: "customer returned the item", discountAmount: 500 }],
    });
    expect(Date.parse(res.body.purchases[0].refundedAt)).toBeGreaterThan(Date.now() - 60_000);
    expect(await auditRows("REFUND")).toEqual([
      expect.objectContaining({ businessId, orderId: "order-1", actor: "internal", previousStatus: "PAID", newStatus: "REFUNDED", details: expect.objectContaining({ purchaseId: purchase.id }) }),
    ]);
    expect(await redemptionStatuses()).toEqual(["order-1:PR_APPLIED"]);

    const again = await reportRefund("order-1", { reason: "a second report" });
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ ...res.body, refunded: 0 });
    expect(await auditRows("REFUND")).toHaveLength(1);
  });

  it("narrows to one seller with businessId; 404 without purchases; 400 without a reason; ops and internal only", async () => {
    const { a, b } = await twoSellerCheckout();
    expect((await promoApply({ checkoutId: "two", orderId: "order-2" })).status).toBe(200);

    const one = await reportRefund("order-2", { businessId: b.businessId, reason: "partial refund" });
    expect(one.body.refunded).toBe(1);
    expect(one.body.purchases.map((p: { businessId: string; status: string }) => [p.businessId, p.status])).toEqual([[b.businessId, "REFUNDED"]]);
    const rows = await db.select().from(purchases).where(eq(purchases.businessId, a.businessId));
    expect(rows.map((p) => p.status)).toEqual(["PAID"]);

    expect((await reportRefund("order-2", { businessId: "00000000-0000-4000-8000-000000000000", reason: "x" })).status).toBe(404);
    const missing = await reportRefund("no-such-order", { reason: "x" });
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ code: "PURCHASE_NOT_FOUND", orderId: "no-such-order" });
    for (const body of [{}, { reason: "" }, { reason: "x", businessId: "b" }]) expect((await reportRefund("order-2", body)).status).toBe(400);

    expect((await reportRefund("order-2", { reason: "x" }, {})).status).toBe(401);
    expect((await reportRefund("order-2", { reason: "x" }, { token: a.token })).status).toBe(403);
    expect((await reportRefund("order-2", { reason: "x" }, { cookie: await sessionCookie({ uid: "s", role: "seller", businessId: a.businessId }) })).status).toBe(403);
    expect((await reportRefund("order-2", { reason: "x" }, { cookie: await sessionCookie({ uid: "o", role: "ops" }) })).status).toBe(200);
  });

  it("409 for an order none of whose purchases was paid", async () => {
    const { businessId } = await businessWithKey();
    await db.insert(purchases).values({ businessId, userId: "ana", checkoutId: "c", orderId: "cancelled", discountAmount: 0, currency: "USD", status: "CANCELLED" });
    const res = await reportRefund("cancelled", { reason: "x" });
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ code: "INVALID_STATUS_TRANSITION", statuses: ["CANCELLED"] });
  });
});

describe("POST /api/internal/promo/refund-rollback", () => {
  it("gives the use back at once (PR_REVOKED, REDEEMED → ASSIGNED, REVOKE audit, purchase REFUNDED); again changes nothing", async () => {
    const { businessId, book, purchase } = await paidOrder();
    expect(await assignmentOf("ana")).toMatchObject({ status: "REDEEMED", redeemCount: 1 });

    const res = await refundRollback({ orderId: "order-1", reason: "chargeback" });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      revoked: 1,
      purchases: [{ id: purchase.id, status: "REFUNDED", refundReason: "chargeback" }],
      redemptions: [{ couponBookId: book.id, businessId, userId: "ana", orderId: "order-1", status: "PR_REVOKED", discountAmount: 500, reason: "chargeback" }],
    });
    expect(await assignmentOf("ana")).toMatchObject({ status: "ASSIGNED", redeemCount: 0, redeemedAt: null });
    expect(await auditRows("REVOKE")).toEqual([
      expect.objectContaining({ bookId: book.id, userId: "ana", orderId: "order-1", actor: "internal", previousStatus: "REDEEMED", newStatus: "ASSIGNED", redeemCount: 0 }),
    ]);
    expect(await auditRows("REFUND")).toHaveLength(1);

    for (const body of [{ orderId: "order-1", reason: "again" }, { purchaseId: purchase.id, reason: "again" }]) {
      const again = await refundRollback(body);
      expect(again.status).toBe(200);
      expect(again.body).toEqual({ ...res.body, revoked: 0 });
    }
    expect(await auditRows("REVOKE")).toHaveLength(1);
    expect(await assignmentOf("ana")).toMatchObject({ redeemCount: 0 });
    // The shopper can use the coupon again.
    expect((await promoRedeem({ userId: "ana", code: "SAVE5", checkoutId: "chk-2", cart: cartOf(businessId) })).body.result).toBe("ACCEPTED");
  });

  it("a multi-use code: redeem_count 2 → rolling back one order leaves 1, ASSIGNED, the other order untouched", async () => {
    const { businessId } = await paidOrder({ maxRedeemsPerUser: 2 });
    const second = await pay(businessId, "SAVE5", "ana", "chk-2", "order-2");
    expect(await assignmentOf("ana")).toMatchObject({ status: "REDEEMED", redeemCount: 2 });

    const res = await refundRollback({ purchaseId: second.id, reason: "returned" });
    expect(res.body.revoked).toBe(1);
    expect(await assignmentOf("ana")).toMatchObject({ status: "ASSIGNED", redeemCount: 1 });
    expect(await redemptionStatuses()).toEqual(["order-1:PR_APPLIED", "order-2:PR_REVOKED"]);
    expect(await auditRows("REVOKE")).toEqual([expect.objectContaining({ previousStatus: "REDEEMED", newStatus: "ASSIGNED", redeemCount: 1, maxRedeems: 2 })]);
  });

  it("parallel rollbacks of one purchase revoke it once and decrement redeem_count once", async () => {
    const { businessId, book } = await paidOrder({ maxRedeemsPerUser: 3, maxTotalRedemptions: 100 });
    const second = await pay(businessId, "SAVE5", "ana", "chk-2", "order-2");
    expect(await assignmentOf("ana")).toMatchObject({ redeemCount: 2 });
    const [counter] = await db.select().from(bookCapUsage).where(eq(bookCapUsage.bookId, book.id));
    expect(counter).toMatchObject({ appliedUses: 2, appliedDiscount: 1000 });

    const results = await parallel(10, (i) => refundRollback(i % 2 ? { purchaseId: second.id, reason: `r${i}` } : { orderId: "order-2", reason: `r${i}` }));
    expect(results.map((r) => r.status)).toEqual(Array(10).fill(200));
    expect(results.reduce((sum, r) => sum + r.body.revoked, 0)).toBe(1);
    expect(await assignmentOf("ana")).toMatchObject({ status: "ASSIGNED", redeemCount: 1 });
    expect(await auditRows("REVOKE")).toHaveLength(1);
    expect(await auditRows("REFUND")).toHaveLength(1);
    const [after] = await db.select().from(bookCapUsage).where(eq(bookCapUsage.bookId, book.id));
    expect(after).toMatchObject({ appliedUses: 1, appliedDiscount: 500 });
  });

  it("a capped book gets its share back: a code refused EXHAUSTED before the rollback is ACCEPTED after", async () => {
    for (const [caps, reason] of [
      [{ maxTotalRedemptions: 1 }, "TOTAL_REDEMPTIONS_REACHED"],
      [{ budgetAmount: 500 }, "BUDGET_EXHAUSTED"],
    ] as const) {
      const { businessId, book } = await paidOrder(caps);
      const refused = await promoRedeem({ userId: "bob", code: "SAVE5", checkoutId: "bob-1", cart: cartOf(businessId) });
      expect(refused.body).toMatchObject({ result: "EXHAUSTED", reason });

      expect((await refundRollback({ orderId: "order-1", reason: "refund" })).body.revoked).toBe(1);
      const [counter] = await db.select().from(bookCapUsage).where(eq(bookCapUsage.bookId, book.id));
      expect(counter).toMatchObject({ appliedUses: 0, appliedDiscount: 0 });
      const accepted = await promoRedeem({ userId: "bob", code: "SAVE5", checkoutId: "bob-2", cart: cartOf(businessId) });
      expect(accepted.body).toMatchObject({ result: "ACCEPTED", discountAmount: 500 });
      await db.execute(sql`truncate redemptions, purchases, book_cap_usage, redemption_audit, promo_attempts, coupon_assignments, coupon_codes, coupon_books cascade`);
    }
  });

  it("a UNIQUE code claimed at checkout goes back to its holder, not back to the pool", async () => {
    const { businessId } = await businessWithKey();
    await activeBook(businessId, { codes: 1, pattern: "ONE-{XXXXXX}", overrides: { discountType: "FIXED", discountValue: 100 } });
    const [{ code }] = (await db.execute<{ code: string }>(sql`select code from coupon_codes`)) as unknown as [{ code: string }];
    await pay(businessId, code, "ana", "chk-1", "order-1");
    expect((await refundRollback({ orderId: "order-1", reason: "refund" })).body.revoked).toBe(1);
    expect(await assignmentOf("ana")).toMatchObject({ status: "ASSIGNED", redeemCount: 0 });
    const [row] = await db.execute<{ status: string }>(sql`select status from coupon_codes`);
    expect(row!.status).toBe("ASSIGNED");
  });

  it("400 unless exactly one of orderId and purchaseId (and a reason), 404 unknown, 409 never paid, ops and internal only", async () => {
    const { token, businessId, purchase } = await paidOrder();
    for (const body of [
      { reason: "x" },
      { orderId: "order-1", purchaseId: purchase.id, reason: "x" },
      { orderId: "order-1" },
      { orderId: "order-1", reason: " " },
      { purchaseId: "not-a-uuid", reason: "x" },
      { purchaseId: purchase.id, businessId, reason: "x" },
    ]) {
      const res = await refundRollback(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.code).toBe("VALIDATION_ERROR");
    }
    expect((await refundRollback({ orderId: "nope", reason: "x" })).body).toMatchObject({ code: "PURCHASE_NOT_FOUND", orderId: "nope" });
    expect((await refundRollback({ purchaseId: "00000000-0000-4000-8000-000000000000", reason: "x" })).status).toBe(404);
    expect((await refundRollback({ orderId: "order-1", businessId: "00000000-0000-4000-8000-000000000000", reason: "x" })).status).toBe(404);

    await db.insert(purchases).values({ businessId, userId: "ana", checkoutId: "c", orderId: "pending", discountAmount: 0, currency: "USD", status: "PENDING" });
    const pending = await refundRollback({ orderId: "pending", reason: "x" });
    expect(pending.status).toBe(409);
    expect(pending.body).toMatchObject({ code: "INVALID_STATUS_TRANSITION", status: "PENDING" });

    expect((await refundRollback({ orderId: "order-1", reason: "x" }, {})).status).toBe(401);
    expect((await refundRollback({ orderId: "order-1", reason: "x" }, { token })).status).toBe(403);
    expect((await refundRollback({ orderId: "order-1", reason: "x" }, { cookie: await sessionCookie({ uid: "s", role: "seller", businessId }) })).status).toBe(403);
    expect((await refundRollback({ orderId: "order-1", reason: "x" }, { cookie: await sessionCookie({ uid: "u", role: "shopper" }) })).status).toBe(403);
    expect(await assignmentOf("ana")).toMatchObject({ status: "REDEEMED", redeemCount: 1 });
    const ops = await refundRollback({ orderId: "order-1", businessId, reason: "x" }, { cookie: await sessionCookie({ uid: "o", role: "ops" }) });
    expect(ops.body.revoked).toBe(1);
    expect(await auditRows("REVOKE")).toEqual([expect.objectContaining({ actor: `ops:${testUserId("o")}` })]);
  });
});

describe("job refund-rollback", () => {
  it("rolls back what was reported refunded, leaves paid orders alone, and a second run changes nothing", async () => {
    const { businessId, book } = await paidOrder({ maxRedeemsPerUser: 5, maxTotalRedemptions: 100 });
    await pay(businessId, "SAVE5", "ana", "chk-2", "order-2");
    await pay(businessId, "SAVE5", "bob", "chk-3", "order-3");
    expect((await reportRefund("order-1", { reason: "returned" })).status).toBe(200);
    expect((await reportRefund("order-3", { reason: "never arrived" })).status).toBe(200);

    expect(await loadJob("refund-rollback")).toBe(refundRollbackJob);
    const first = await refundRollbackJob.run(db);
    expect(first).toMatchObject({ purchases: 2, revoked: 2, failed: 0 });
    expect(await redemptionStatuses()).toEqual(["order-1:PR_REVOKED", "order-2:PR_APPLIED", "order-3:PR_REVOKED"]);
    expect(await assignmentOf("ana")).toMatchObject({ redeemCount: 1, status: "ASSIGNED" });
    expect(await assignmentOf("bob")).toMatchObject({ redeemCount: 0, status: "ASSIGNED" });
    const revokes = await auditRows("REVOKE");
    expect(revokes).toHaveLength(2);
    expect(revokes.every((r) => r.actor === "system:refund-rollback")).toBe(true);
    const reasons = await db.select({ orderId: redemptions.orderId, reason: redemptions.reason }).from(redemptions).where(eq(redemptions.status, "PR_REVOKED")).orderBy(redemptions.orderId);
    expect(reasons).toEqual([
      { orderId: "order-1", reason: "returned" },
      { orderId: "order-3", reason: "never arrived" },
    ]);
    const [counter] = await db.select().from(bookCapUsage).where(eq(bookCapUsage.bookId, book.id));
    expect(counter).toMatchObject({ appliedUses: 1, appliedDiscount: 500 });

    const snapshot = await db.execute(sql`select id, status, redeem_count from coupon_assignments order by id`);
    const second = await refundRollbackJob.run(db);
    expect(second).toMatchObject({ purchases: 0, revoked: 0, failed: 0 });
    expect(await db.execute(sql`select id, status, redeem_count from coupon_assignments order by id`)).toEqual(snapshot);
    expect(await auditRows("REVOKE")).toHaveLength(2);
  });

  it("works through more refunds than one batch, bounded by JOB_BATCH_SIZE × JOB_MAX_BATCHES per run", async () => {
    const { businessId } = await businessWithKey();
    await genericBook(businessId, "MANY", { discountType: "FIXED", discountValue: 100, maxRedeemsPerUser: 10 });
    for (let i = 0; i < 5; i++) await pay(businessId, "MANY", "ana", `chk-${i}`, `order-${i}`);
    await db.update(purchases).set({ status: "REFUNDED", refundReason: "bulk" }).where(and(eq(purchases.businessId, businessId)));

    await withSettings({ JOB_BATCH_SIZE: "2", JOB_MAX_BATCHES: "2" }, async () => {
      expect(await refundRollbackJob.run(db)).toMatchObject({ purchases: 4, revoked: 4, moreLeft: true });
      expect(await refundRollbackJob.run(db)).toMatchObject({ purchases: 1, revoked: 1, moreLeft: false });
      expect(await refundRollbackJob.run(db)).toMatchObject({ purchases: 0, revoked: 0, moreLeft: false });
    });
    expect(await assignmentOf("ana")).toMatchObject({ redeemCount: 0 });
  });

  it("looks only at purchases refunded in the last 7 days (older ones are not scanned again every run)", async () => {
    await paidOrder();
    expect((await reportRefund("order-1", { reason: "returned" })).status).toBe(200);
    await db.update(purchases).set({ updatedAt: sql`now() - interval '8 days'` });
    expect(await refundRollbackJob.run(db)).toMatchObject({ purchases: 0, revoked: 0 });
    await db.update(purchases).set({ updatedAt: sql`now() - interval '6 days'` });
    expect(await refundRollbackJob.run(db)).toMatchObject({ purchases: 1, revoked: 1 });
  });
});
