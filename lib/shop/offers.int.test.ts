import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "@/db/client";
import { couponAssignments, couponBooks, couponCodes } from "@/db/schema";
import type { ShopperActor } from "@/lib/auth/actor";
import { isAppError } from "@/lib/errors";
import { activeBook, businessWithKey, genericBook } from "@/testing/fixtures";
import { claimOfferServerAction } from "./actions";
import { claimOffer, listOffers } from "./offers";

const meta = { ip: null, userAgent: null };
const shopper = (userId: string): ShopperActor => ({ kind: "user", role: "shopper", userId });
const ana = shopper("ana");

/** What a rejected claim threw, as the page's action reads it: its code and message. */
async function refusal(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    if (isAppError(error)) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error("the claim was not refused");
}

const offerBook = (businessId: string, name: string, overrides: Partial<typeof couponBooks.$inferInsert> = {}, codes = 5) =>
  activeBook(businessId, { codes, overrides: { name, selfServiceClaim: true, ...overrides } });

describe("listOffers", () => {
  it("lists only ACTIVE self-service books inside their validity window, with the seller and what the shopper holds", async () => {
    const seller = await businessWithKey("Trail Outfitters");
    const hour = 3_600_000;
    await offerBook(seller.businessId, "Open offer", { discountType: "PERCENT", discountValue: 15, minOrderAmount: 2_000, maxCodesPerUser: 2 });
    await offerBook(seller.businessId, "Window offer", { validFrom: new Date(Date.now() - hour), expiresAt: new Date(Date.now() + hour) });
    await activeBook(seller.businessId, { overrides: { name: "Not self-service" } });
    await offerBook(seller.businessId, "Draft offer", { status: "DRAFT" });
    await offerBook(seller.businessId, "Paused offer", { status: "PAUSED" });
    await offerBook(seller.businessId, "Future offer", { validFrom: new Date(Date.now() + hour) });
    const ended = await offerBook(seller.businessId, "Ended offer");
    // Still ACTIVE in its row (the expiry job has not run): the window alone must hide it.
    await db.update(couponBooks).set({ expiresAt: sql`now() - interval '1 minute'` }).where(eq(couponBooks.id, ended.id));

    const offers = await listOffers(db, ana);
    expect(offers.map((offer) => offer.name)).toEqual(["Open offer", "Window offer"]);
    expect(offers[0]).toMatchObject({
      sellerName: "Trail Outfitters",
      discountType: "PERCENT",
      discountValue: 15,
      minOrderAmount: 2_000,
      expiresAt: null,
      held: 0,
      maxPerShopper: 2,
      hasCodesLeft: true,
    });
    expect(offers[1]!.expiresAt).not.toBeNull();

    await claimOffer(db, ana, { couponBookId: offers[0]!.couponBookId }, meta);
    const after = await listOffers(db, ana);
    expect(after[0]).toMatchObject({ name: "Open offer", held: 1 });
    expect((await listOffers(db, shopper("bo")))[0]).toMatchObject({ name: "Open offer", held: 0 });
  });
});

describe("claimOffer", () => {
  it("hands out codes up to the book's maxCodesPerUser, then refuses with the shopper's message", async () => {
    const { businessId } = await businessWithKey();
    const book = await offerBook(businessId, "Two each", { maxCodesPerUser: 2 });

    const first = await claimOffer(db, ana, { couponBookId: book.id }, meta);
    const second = await claimOffer(db, ana, { couponBookId: book.id }, meta);
    expect(first).toMatchObject({ userId: "ana", status: "ASSIGNED" });
    expect(second.code).not.toBe(first.code);

    expect(await refusal(claimOffer(db, ana, { couponBookId: book.id }, meta))).toEqual({
      code: "MAX_CODES_PER_USER_REACHED",
      message: "You already hold the most codes of this offer a shopper may have (2)",
    });
    // What the offers page's server action answers: the same code and message, for the page to show.
    expect(await claimOfferServerAction.run({ actor: ana, meta }, { couponBookId: book.id })).toMatchObject({
      ok: false,
      code: "MAX_CODES_PER_USER_REACHED",
      error: "You already hold the most codes of this offer a shopper may have (2)",
    });
    expect(await db.select().from(couponAssignments).where(eq(couponAssignments.userId, "ana"))).toHaveLength(2);
    expect((await listOffers(db, ana))[0]).toMatchObject({ held: 2, maxPerShopper: 2 });
  });

  it("a GENERIC offer gives its public code once per shopper", async () => {
    const { businessId } = await businessWithKey();
    const book = await genericBook(businessId, "HIKE5", { selfServiceClaim: true });
    expect(await claimOffer(db, ana, { couponBookId: book.id }, meta)).toMatchObject({ code: "HIKE5" });
    expect(await refusal(claimOffer(db, ana, { couponBookId: book.id }, meta))).toEqual({
      code: "MAX_CODES_PER_USER_REACHED",
      message: "You already hold this offer's code",
    });
    expect(await claimOffer(db, shopper("bo"), { couponBookId: book.id }, meta)).toMatchObject({ code: "HIKE5" });
    expect((await listOffers(db, ana))[0]).toMatchObject({ held: 1, maxPerShopper: 1, hasCodesLeft: true });
  });

  it("a book that is not self-service, not running, or not a book answers BOOK_NOT_FOUND and assigns nothing", async () => {
    const { businessId } = await businessWithKey();
    const plain = await activeBook(businessId, { overrides: { name: "Seller-assigned only" } });
    const paused = await offerBook(businessId, "Paused", { status: "PAUSED" });
    for (const couponBookId of [plain.id, paused.id, "00000000-0000-4000-8000-000000000000"]) {
      expect(await refusal(claimOffer(db, ana, { couponBookId }, meta))).toEqual({ code: "BOOK_NOT_FOUND", message: "This offer is not available" });
    }
    expect(await db.select().from(couponAssignments)).toEqual([]);
  });

  it("when every code is claimed, says so, and the offer shows it has none left", async () => {
    const { businessId } = await businessWithKey();
    const book = await offerBook(businessId, "Last one", {}, 1);
    await claimOffer(db, shopper("bo"), { couponBookId: book.id }, meta);
    expect(await refusal(claimOffer(db, ana, { couponBookId: book.id }, meta))).toEqual({
      code: "NO_CODES_AVAILABLE",
      message: "Every code of this offer has been claimed",
    });
    expect((await listOffers(db, ana))[0]).toMatchObject({ held: 0, hasCodesLeft: false });
  });

  it("two shoppers claiming the last code of a book at once: exactly one gets it, the other is told none is left", async () => {
    const { businessId } = await businessWithKey();
    // Ten books of one code each, every one raced by two shoppers at the same time: without the
    // code row's lock (FOR UPDATE SKIP LOCKED) both would read the same AVAILABLE code, and the
    // loser would hit the assignment's unique key (COUPON_ALREADY_ASSIGNED) instead of this answer.
    const books = await Promise.all(Array.from({ length: 10 }, (_, i) => offerBook(businessId, `Race ${i}`, {}, 1)));
    const rounds = await Promise.all(
      books.map((book, i) =>
        Promise.allSettled([claimOffer(db, shopper(`ana-${i}`), { couponBookId: book.id }, meta), claimOffer(db, shopper(`bo-${i}`), { couponBookId: book.id }, meta)]),
      ),
    );
    for (const [i, round] of rounds.entries()) {
      const won = round.filter((claim) => claim.status === "fulfilled");
      const lost = round.flatMap((claim) => (claim.status === "rejected" ? [claim.reason] : []));
      expect(won, `book ${i}`).toHaveLength(1);
      expect(lost.map((error) => (isAppError(error) ? [error.code, error.message] : String(error))), `book ${i}`).toEqual([
        ["NO_CODES_AVAILABLE", "Every code of this offer has been claimed"],
      ]);
      const assignments = await db.select().from(couponAssignments).where(eq(couponAssignments.bookId, books[i]!.id));
      expect(assignments, `book ${i}`).toHaveLength(1);
      const [code] = await db.select().from(couponCodes).where(eq(couponCodes.bookId, books[i]!.id));
      expect([code!.status, code!.code]).toEqual(["ASSIGNED", won[0]!.status === "fulfilled" ? won[0]!.value.code : null]);
    }
  });
});
