import { and, eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { db } from "@/db/client";
import { backdateLocks } from "@/db/testing/backdate-locks";
import { couponAssignments, couponBooks, opsAlerts, purchases, redemptionAudit, redemptions } from "@/db/schema";
import { businessWithKey, genericBook } from "@/testing/fixtures";
import { cartOf, promoApply, promoRedeem } from "@/testing/promo-api";
import { rollOverCampaigns } from "@/lib/maintenance/campaign-rollover";
import { runReconciliation } from "@/lib/maintenance/reconciliation";
import { expireReservations } from "@/lib/maintenance/reservation-expiry";
import { overrideSettings, restoreSettings } from "@/testing/settings";

afterEach(restoreSettings);

/** Moves a checkout's reservation and lock into the past, as if its TTL had run out. */
async function lapse(checkoutId: string) {
  expect(await backdateLocks(db, { checkoutId })).toEqual({ locks: 1, reservations: 1 });
  const [row] = await db.select().from(redemptions).where(eq(redemptions.checkoutId, checkoutId));
  return row!;
}

async function reserve(businessId: string, code: string, userId: string, checkoutId: string) {
  const res = await promoRedeem({ userId, code, checkoutId, cart: cartOf(businessId) });
  expect(res.body.result).toBe("ACCEPTED");
  return res.body;
}

describe("reservation-expiry", () => {
  it("expires lapsed reservations once, leaves live ones, and a second run changes nothing", async () => {
    const { businessId } = await businessWithKey();
    await genericBook(businessId, "SAVE5", { discountValue: 500, maxTotalRedemptions: 10 });
    await reserve(businessId, "SAVE5", "ana", "chk-old");
    await reserve(businessId, "SAVE5", "bob", "chk-live");
    const lapsed = await lapse("chk-old");

    // Two runs at once: each reservation is expired by exactly one of them.
    const [a, b] = await Promise.all([expireReservations(db), expireReservations(db)]);
    expect(a.expired + b.expired).toBe(1);
    expect(await expireReservations(db)).toMatchObject({ expired: 0 });

    const ledger = await db.select().from(redemptions);
    expect(ledger.find((r) => r.checkoutId === "chk-old")).toMatchObject({ status: "PR_EXPIRED" });
    expect(ledger.find((r) => r.checkoutId === "chk-live")).toMatchObject({ status: "PR_RESERVED" });
    const [assignment] = await db.select().from(couponAssignments).where(eq(couponAssignments.id, lapsed.assignmentId));
    expect(assignment).toMatchObject({ status: "ASSIGNED", lockCheckoutId: null, lockedUntil: null });
    const audit = await db.select().from(redemptionAudit).where(eq(redemptionAudit.action, "EXPIRE"));
    expect(audit).toEqual([expect.objectContaining({ actor: "system:reservation-expiry", assignmentId: lapsed.assignmentId, checkoutId: "chk-old" })]);
  });

  it("an apply after the TTL consumes nothing, raises payments_recovery_review_required once, and the job then expires the row", async () => {
    const { businessId } = await businessWithKey();
    await genericBook(businessId, "LATE10", { discountValue: 1000 });
    const reservation = await reserve(businessId, "LATE10", "ana", "chk-late");
    await lapse("chk-late");

    const first = await promoApply({ checkoutId: "chk-late", orderId: "order-late" });
    const again = await promoApply({ checkoutId: "chk-late", orderId: "order-late" });
    expect([first.status, again.status]).toEqual([409, 409]);
    expect(first.body.code).toBe("RESERVATION_EXPIRED");
    const alerts = await db.select().from(opsAlerts);
    expect(alerts).toEqual([
      expect.objectContaining({
        eventType: "payments_recovery_review_required",
        severity: "error",
        escalation: "ops_l1",
        businessId,
        payload: expect.objectContaining({ checkoutId: "chk-late", orderId: "order-late", reservationId: reservation.reservationId, discountAmount: 1000 }),
      }),
    ]);
    expect(await db.select().from(purchases)).toEqual([]);
    expect(await expireReservations(db)).toMatchObject({ expired: 1 });
  });
});

describe("campaign-rollover", () => {
  it("expires ACTIVE and PAUSED campaigns past expiresAt, audited, and a second run changes nothing", async () => {
    const { businessId } = await businessWithKey();
    const past = new Date(Date.now() - 60_000);
    const active = await genericBook(businessId, "OLD1", { expiresAt: past });
    const paused = await genericBook(businessId, "OLD2", { expiresAt: past, status: "PAUSED" });
    const current = await genericBook(businessId, "NEW1", { expiresAt: new Date(Date.now() + 3_600_000) });
    const [draft] = await db.insert(couponBooks).values({ businessId, name: "draft", expiresAt: past }).returning();

    expect(await rollOverCampaigns(db)).toMatchObject({ expiredCampaigns: 2 });
    expect(await rollOverCampaigns(db)).toMatchObject({ expiredCampaigns: 0 });

    const status = async (id: string) => (await db.select().from(couponBooks).where(eq(couponBooks.id, id)))[0]!.status;
    expect([await status(active.id), await status(paused.id), await status(current.id), await status(draft!.id)]).toEqual(["EXPIRED", "EXPIRED", "ACTIVE", "DRAFT"]);
    const audit = await db.select().from(redemptionAudit).where(eq(redemptionAudit.action, "EXPIRE_BOOK"));
    expect(audit.map((row) => [row.bookId, row.previousStatus, row.actor]).sort()).toEqual(
      [
        [active.id, "ACTIVE", "system:campaign-rollover"],
        [paused.id, "PAUSED", "system:campaign-rollover"],
      ].sort(),
    );
  });
});

describe("reconciliation", () => {
  it("finds nothing in a consistent ledger, raises one alert per set of differences, and not again for the same ones", async () => {
    const { businessId } = await businessWithKey();
    await genericBook(businessId, "RECON", { discountValue: 700, maxRedeemsPerUser: 3 });
    await reserve(businessId, "RECON", "ana", "chk-1");
    expect((await promoApply({ checkoutId: "chk-1", orderId: "order-1" })).status).toBe(200);
    expect(await runReconciliation(db)).toMatchObject({ assignmentDiffs: 0, purchaseDiffs: 0, alertsRaised: 0 });

    const [assignment] = await db.update(couponAssignments).set({ redeemCount: 2 }).returning();
    await db.update(purchases).set({ discountAmount: 900 }).where(and(eq(purchases.orderId, "order-1"), eq(purchases.businessId, businessId)));

    expect(await runReconciliation(db)).toMatchObject({ assignmentDiffs: 1, purchaseDiffs: 1, alertsRaised: 1 });
    expect(await runReconciliation(db)).toMatchObject({ assignmentDiffs: 1, purchaseDiffs: 1, alertsRaised: 0 });
    const alerts = await db.select().from(opsAlerts);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ eventType: "payments_reconciliation_diff_detected", severity: "critical", escalation: "ops_l1" });
    expect(alerts[0]!.payload).toMatchObject({
      assignments: [{ assignmentId: assignment!.id, redeemCount: 2, appliedRows: 1 }],
      purchases: [{ orderId: "order-1", discountAmount: 900, appliedDiscount: 700, appliedRows: 1 }],
    });
  });

  it("is bounded: each run checks one slice and the next run goes on from there, then starts over", async () => {
    const { businessId } = await businessWithKey();
    await genericBook(businessId, "SLICE", { discountValue: 100 });
    for (const user of ["u1", "u2", "u3"]) {
      await reserve(businessId, "SLICE", user, `chk-${user}`);
      expect((await promoApply({ checkoutId: `chk-${user}`, orderId: `order-${user}` })).status).toBe(200);
    }
    const assignments = (await db.select().from(couponAssignments)).sort((a, b) => a.id.localeCompare(b.id));
    await db.update(couponAssignments).set({ redeemCount: 5 }).where(eq(couponAssignments.id, assignments[2]!.id));
    overrideSettings({ JOB_BATCH_SIZE: "2", JOB_MAX_BATCHES: "1" });

    expect(await runReconciliation(db)).toMatchObject({ assignmentsChecked: 2, assignmentDiffs: 0 });
    expect(await runReconciliation(db)).toMatchObject({ assignmentsChecked: 1, assignmentDiffs: 1, alertsRaised: 1 });
    expect(await runReconciliation(db)).toMatchObject({ assignmentsChecked: 2, assignmentDiffs: 0 });
  });
});
