import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "@/db/client";
import { waitUntilLockWaiting } from "@/db/testing/locks";
import { bookCapUsage as counters, couponBooks, redemptions } from "@/db/schema";
import { businessWithKey, genericBook } from "@/testing/fixtures";
import { cartOf, promoRedeem } from "@/testing/promo-api";
import { bookCapUsage, countAppliedUse, lockBookCaps } from "@/lib/coupons/usage";

describe("book cap counters", () => {
  it("a counter created while a consumption is uncommitted waits for it, and counts it", async () => {
    const { businessId } = await businessWithKey();
    const book = await genericBook(businessId, "COUNTME", { discountType: "FIXED", discountValue: 100 });
    const reserved = await promoRedeem({ userId: "ana", code: "COUNTME", checkoutId: "chk", cart: cartOf(businessId) });
    // Capped behind the API's back: no counter exists yet.
    await db.update(couponBooks).set({ maxTotalRedemptions: 10 }).where(eq(couponBooks.id, book.id));

    let release!: () => void;
    let consumed!: () => void;
    const mayCommit = new Promise<void>((resolve) => (release = resolve));
    const hasConsumed = new Promise<void>((resolve) => (consumed = resolve));
    const consumption = db.transaction(async (tx) => {
      await tx.update(redemptions).set({ status: "PR_APPLIED" }).where(eq(redemptions.id, reserved.body.reservationId));
      await countAppliedUse(tx, book.id, { uses: 1, discount: 100 });
      consumed();
      await mayCommit;
    });
    await hasConsumed;

    const events: string[] = [];
    let started!: (pid: number) => void;
    const creationPid = new Promise<number>((resolve) => (started = resolve));
    const creation = db.transaction(async (tx) => {
      const [backend] = await tx.execute<{ pid: number }>(sql`select pg_backend_pid() as pid`);
      started(backend!.pid);
      await lockBookCaps(tx, book.id);
      const usage = await bookCapUsage(tx, book);
      events.push("counted");
      return usage;
    });
    await waitUntilLockWaiting(db, await creationPid);
    expect(events).toEqual([]);
    events.push("consumption commits");
    release();
    await consumption;
    expect(await creation).toEqual({ uses: 1, discount: 100 });
    expect(events).toEqual(["consumption commits", "counted"]);
    const [counter] = await db.select().from(counters).where(eq(counters.bookId, book.id));
    expect(counter).toMatchObject({ appliedUses: 1, appliedDiscount: 100 });
  });
});
