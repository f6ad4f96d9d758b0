import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "@/db/client";
import { couponAssignments, redemptionAudit } from "@/db/schema";
import { refundRollbackServerAction } from "@/lib/ops/refund-actions";
import { lookupOrder } from "@/lib/refunds/order-lookup";
import { businessWithKey, genericBook } from "@/testing/fixtures";
import { testUserId } from "@/testing/http";
import { refundRollback } from "@/testing/ops-api";
import { cartOf, promoApply, promoRedeem, twoSellerCheckout } from "@/testing/promo-api";

/** One paid use of `code` by `userId`: reserved at `checkoutId`, applied to `orderId`. */
async function pay(businessId: string, code: string, userId: string, checkoutId: string, orderId: string) {
  const reserved = await promoRedeem({ userId, code, checkoutId, cart: cartOf(businessId) });
  expect(reserved.body.result).toBe("ACCEPTED");
  expect((await promoApply({ checkoutId, orderId })).status).toBe(200);
}

const META = { ip: "203.0.113.7", userAgent: "vitest" };
const opsActor = { kind: "user", role: "ops", userId: testUserId("ops-refunds") } as const;

describe("lookupOrder (the ops refunds page's reader)", () => {
  it("shows every seller's purchase of the order with its own coupon uses, across businesses", async () => {
    const { a, b } = await twoSellerCheckout();
    expect((await promoApply({ checkoutId: "two", orderId: "order-2" })).status).toBe(200);
    // Another order of the same sellers must not show in this one.
    await pay(a.businessId, "AOFF", "bea", "chk-other", "order-other");

    const order = await lookupOrder(db, "order-2");
    expect(order).not.toBeNull();
    expect(order!.orderId).toBe("order-2");
    // Sellers in name order: the fixture names them biz-<random>, so sort the expectation the same way.
    const expected = [
      { business: a, code: "AOFF", discount: 300, subtotal: 4000 },
      { business: b, code: "BOFF", discount: 200, subtotal: 6000 },
    ].sort((x, y) => x.business.name.localeCompare(y.business.name));
    expect(order!.purchases).toHaveLength(2);
    order!.purchases.forEach((purchase, i) => {
      const want = expected[i]!;
      expect(purchase).toMatchObject({
        seller: { id: want.business.businessId, name: want.business.name },
        userId: "ana",
        checkoutId: "two",
        status: "PAID",
        discountAmount: want.discount,
        currency: "USD",
        refundedAt: null,
        refundReason: null,
      });
      expect(Date.parse(purchase.paidAt!)).toBeGreaterThan(Date.now() - 60_000);
      expect(purchase.uses).toEqual([
        {
          id: expect.any(String),
          campaign: { id: expect.any(String), name: `Generic ${want.code}` },
          userId: "ana",
          status: "PR_APPLIED",
          discountAmount: want.discount,
          currency: "USD",
          appliedAt: expect.any(String),
          revokedAt: null,
          reason: null,
        },
      ]);
    });
  });

  it("after a rollback of one seller's purchase: that purchase REFUNDED, its use PR_REVOKED with when and why; the other untouched", async () => {
    const { a, b } = await twoSellerCheckout();
    expect((await promoApply({ checkoutId: "two", orderId: "order-2" })).status).toBe(200);
    const before = await lookupOrder(db, "order-2");
    const ofB = before!.purchases.find((p) => p.seller.id === b.businessId)!;
    expect((await refundRollback({ purchaseId: ofB.id, reason: "item returned" })).status).toBe(200);

    const after = await lookupOrder(db, "order-2");
    const rolledBack = after!.purchases.find((p) => p.seller.id === b.businessId)!;
    expect(rolledBack).toMatchObject({ status: "REFUNDED", refundReason: "item returned" });
    expect(rolledBack.uses).toEqual([expect.objectContaining({ status: "PR_REVOKED", reason: "item returned", revokedAt: expect.any(String) })]);
    const untouched = after!.purchases.find((p) => p.seller.id === a.businessId)!;
    expect(untouched).toMatchObject({ status: "PAID", refundedAt: null });
    expect(untouched.uses).toEqual([expect.objectContaining({ status: "PR_APPLIED", revokedAt: null })]);
  });

  it("null for an order id no purchase carries; order ids match exactly", async () => {
    const { businessId } = await businessWithKey();
    await genericBook(businessId, "SAVE5", { name: "Spring sale", discountType: "FIXED", discountValue: 500 });
    await pay(businessId, "SAVE5", "ana", "chk-1", "Order-1");
    expect(await lookupOrder(db, "no-such-order")).toBeNull();
    expect(await lookupOrder(db, "order-1")).toBeNull();
    expect((await lookupOrder(db, "Order-1"))!.purchases).toHaveLength(1);
  });
});

describe("refundRollbackServerAction (the refunds page's rollback)", () => {
  it("gives the use back as the operator, audited with their identity; a second click answers revoked 0 and changes nothing", async () => {
    const { businessId } = await businessWithKey();
    await genericBook(businessId, "SAVE5", { name: "Spring sale", discountType: "FIXED", discountValue: 500 });
    await pay(businessId, "SAVE5", "ana", "chk-1", "order-1");
    const caller = { actor: opsActor, meta: META };

    const first = await refundRollbackServerAction.run(caller, { orderId: "order-1", reason: "chargeback" });
    expect(first).toMatchObject({ ok: true, data: { revoked: 1, purchases: [{ status: "REFUNDED", refundReason: "chargeback" }], redemptions: [{ status: "PR_REVOKED", reason: "chargeback" }] } });
    const [assignment] = await db.select().from(couponAssignments).where(eq(couponAssignments.userId, "ana"));
    expect(assignment).toMatchObject({ redeemCount: 0, status: "ASSIGNED" });
    const audit = await db.select().from(redemptionAudit).where(eq(redemptionAudit.action, "REVOKE"));
    expect(audit).toEqual([expect.objectContaining({ actor: `ops:${opsActor.userId}`, ip: META.ip, userAgent: META.userAgent, orderId: "order-1" })]);

    const second = await refundRollbackServerAction.run(caller, { orderId: "order-1", reason: "clicked again" });
    expect(second.ok && second.data.revoked).toBe(0);
    expect(second.ok && second.data.redemptions).toEqual(first.ok && first.data.redemptions);
    expect(await db.select().from(redemptionAudit).where(eq(redemptionAudit.action, "REVOKE"))).toHaveLength(1);
    expect((await db.select().from(couponAssignments).where(eq(couponAssignments.userId, "ana")))[0]!.redeemCount).toBe(0);
  });

  it("answers a missing reason and an unknown order as data, never a throw; sellers and shoppers are refused", async () => {
    const caller = { actor: opsActor, meta: META };
    const noReason = await refundRollbackServerAction.run(caller, { orderId: "order-1", reason: "  " });
    expect(noReason).toMatchObject({ ok: false, code: "VALIDATION_ERROR", fieldErrors: { reason: expect.any(String) } });
    expect(await refundRollbackServerAction.run(caller, { orderId: "nope", reason: "x" })).toMatchObject({ ok: false, code: "PURCHASE_NOT_FOUND" });
    const { businessId } = await businessWithKey();
    const seller = { kind: "user", role: "seller", userId: testUserId("seller-r"), businessId } as const;
    expect(await refundRollbackServerAction.run({ actor: seller, meta: META }, { orderId: "nope", reason: "x" })).toMatchObject({ ok: false, code: "FORBIDDEN" });
  });
});
