import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "@/db/client";
import { promoAttempts, users, type PromoResult } from "@/db/schema";
import type { Actor } from "@/lib/auth/actor";
import { activeBook, businessWithKey } from "@/testing/fixtures";
import { attemptsOfCampaign, campaignAttemptMix } from "./campaign-attempt-mix";
import { setCampaignStatus } from "./campaign-status";
import { changeCampaignStatus } from "./change-campaign-status";
import { getUnpauseReview } from "./get-unpause-review";

const META = { ip: null, userAgent: "vitest" };
const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000);

type Attempt = { result: PromoResult; minutesAgo: number; userId?: string; hash?: string; bookId?: string | null; attributedBookId?: string | null };

async function attempts(businessId: string, rows: Attempt[]) {
  await db.insert(promoAttempts).values(
    rows.map((row, i) => ({
      businessId,
      normalizedCodeHash: row.hash ?? `hash-${i}`,
      codePrefix: "MIX-",
      bookId: row.bookId ?? null,
      attributedBookId: row.attributedBookId ?? null,
      userId: row.userId ?? `user-${i}`,
      result: row.result,
      reason: "test",
      attemptedAt: minutesAgo(row.minutesAgo),
    })),
  );
}

async function opsUser(name: string): Promise<Actor> {
  const [user] = await db
    .insert(users)
    .values({ email: `${randomUUID()}@ops.test`, name, role: "ops", passwordHash: "x" })
    .returning({ id: users.id });
  return { kind: "user", role: "ops", userId: user!.id };
}

describe("campaignAttemptMix", () => {
  it("counts the campaign's attempts since the pause by result, its codes and the unknown codes attributed to it, with the last 15 minutes apart", async () => {
    const { businessId } = await businessWithKey();
    const book = await activeBook(businessId, { codes: 0 });
    const other = await activeBook(businessId, { codes: 0 });
    await attempts(businessId, [
      // Before the pause (60 min ago): left out.
      { result: "INVALID", minutesAgo: 90, attributedBookId: book.id },
      { result: "ACCEPTED", minutesAgo: 70, bookId: book.id },
      // Since the pause, earlier than the last 15 minutes.
      { result: "INVALID", minutesAgo: 50, attributedBookId: book.id, hash: "h-a", userId: "u-1" },
      { result: "INVALID", minutesAgo: 40, attributedBookId: book.id, hash: "h-b", userId: "u-1" },
      { result: "ACCEPTED", minutesAgo: 30, bookId: book.id },
      // The last 15 minutes.
      { result: "PAUSED", minutesAgo: 10, bookId: book.id, hash: "h-c", userId: "u-2" },
      { result: "INVALID", minutesAgo: 5, attributedBookId: book.id, hash: "h-c", userId: "u-3" },
      { result: "ACCEPTED", minutesAgo: 2, bookId: book.id },
      // Another campaign's and an unattributed attempt: never counted.
      { result: "INVALID", minutesAgo: 5, attributedBookId: other.id },
      { result: "INVALID", minutesAgo: 5, bookId: other.id },
      { result: "INVALID", minutesAgo: 5 },
    ]);

    const mix = await campaignAttemptMix(db, book.id, minutesAgo(60));
    expect(mix.byResult).toEqual([
      { result: "ACCEPTED", attempts: 2, recent: 1 },
      { result: "INVALID", attempts: 3, recent: 1 },
      { result: "PAUSED", attempts: 1, recent: 1 },
    ]);
    expect(mix.total).toMatchObject({ attempts: 6, accepted: 2, failures: 4, failingCodeHashes: 3, failingUsers: 3 });
    expect(mix.recent).toMatchObject({ attempts: 3, accepted: 1, failures: 2, failingCodeHashes: 1, failingUsers: 2 });
    // The newest failure (5 minutes ago), not the newer accepted attempt nor an older failure.
    expect(mix.recent.lastFailureAt).toBe(mix.total.lastFailureAt);
    expect(Math.abs(Date.parse(mix.total.lastFailureAt!) - (Date.now() - 5 * 60_000))).toBeLessThan(60_000);
    expect(mix.recentMinutes).toBe(15);
    expect(Date.parse(mix.recentSince)).toBeGreaterThan(Date.now() - 16 * 60_000);
  });

  it("an attempt carrying both the book and its attribution counts once; a recent window never starts before the pause", async () => {
    const { businessId } = await businessWithKey();
    const book = await activeBook(businessId, { codes: 0 });
    await attempts(businessId, [{ result: "EXHAUSTED", minutesAgo: 1, bookId: book.id, attributedBookId: book.id }]);

    const since = minutesAgo(5);
    const mix = await campaignAttemptMix(db, book.id, since);
    expect(mix.byResult).toEqual([{ result: "EXHAUSTED", attempts: 1, recent: 1 }]);
    expect(mix.recentSince).toBe(since.toISOString());
    expect(mix.since).toBe(since.toISOString());
  });

  it("answers zeros for a campaign without attempts", async () => {
    const { businessId } = await businessWithKey();
    const book = await activeBook(businessId, { codes: 0 });
    const mix = await campaignAttemptMix(db, book.id, minutesAgo(60));
    expect(mix.byResult).toEqual([]);
    expect(mix.total).toEqual({ attempts: 0, accepted: 0, failures: 0, failingCodeHashes: 0, failingUsers: 0, lastFailureAt: null });
  });

  it("reads each half of the union through its (…, attempted_at) index", async () => {
    const { businessId } = await businessWithKey();
    const book = await activeBook(businessId, { codes: 0 });
    await db.transaction(async (tx) => {
      await tx.execute(sql`set local enable_seqscan = off`);
      const plan = await tx.execute<{ "QUERY PLAN": string }>(sql`explain select result from ${attemptsOfCampaign(book.id, sql`now() - interval '1 hour'`)} a`);
      const text = [...plan].map((row) => row["QUERY PLAN"]).join("\n");
      expect(text).toMatch(/promo_attempts_book_idx/);
      expect(text).toMatch(/promo_attempts_attributed_idx/);
    });
  });
});

describe("getUnpauseReview", () => {
  it("shows who paused, when and why, the attempts since the pause; after the unpause, who resumed and the attempts since", async () => {
    const { businessId, name } = await businessWithKey();
    const book = await activeBook(businessId, { codes: 2 });
    const operator = await opsUser("Olga On-call");
    const sellerPause: Actor = { kind: "user", role: "seller", userId: randomUUID(), businessId };

    // A seller's own pause first, then ops take it over: the review names both.
    await db.execute(sql`update coupon_books set status = 'PAUSED', paused_by = ${`seller:${sellerPause.userId}`} where id = ${book.id}`);
    await changeCampaignStatus(db, operator, book.id, { status: "PAUSED", reason: "guessing burst on MIX-" }, META);
    await attempts(businessId, [
      { result: "INVALID", minutesAgo: 0, attributedBookId: book.id },
      { result: "INVALID", minutesAgo: 30, attributedBookId: book.id }, // before the pause: left out
    ]);

    const review = await getUnpauseReview(db, operator, book.id);
    expect(review.campaign).toMatchObject({ id: book.id, status: "PAUSED" });
    expect(review.businessName).toBe(name);
    expect(review.pause).toMatchObject({
      actor: `ops:${(operator as { userId: string }).userId}`,
      actorName: "Olga On-call",
      reason: "guessing burst on MIX-",
      takenOverFrom: `seller:${sellerPause.userId}`,
    });
    expect(review.resume).toBeNull();
    expect(review.sincePause?.byResult).toEqual([{ result: "INVALID", attempts: 1, recent: 1 }]);
    expect(review.sinceResume).toBeNull();

    await changeCampaignStatus(db, operator, book.id, { status: "ACTIVE", reason: "burst over" }, META);
    const after = await getUnpauseReview(db, operator, book.id);
    expect(after.campaign.status).toBe("ACTIVE");
    expect(after.resume).toMatchObject({ reason: "burst over", actorName: "Olga On-call" });
    expect(after.sincePause).toBeNull();
    expect(after.sinceResume?.byResult).toEqual([]);

    // A second incident: the review reads the newest pause and, after it, the newest resume.
    await changeCampaignStatus(db, operator, book.id, { status: "PAUSED", reason: "second burst" }, META);
    const again = await getUnpauseReview(db, operator, book.id);
    expect(again.pause).toMatchObject({ reason: "second burst", takenOverFrom: null });
    expect(again.resume).toBeNull();
    expect(again.sincePause?.byResult).toEqual([]);
    await changeCampaignStatus(db, operator, book.id, { status: "ACTIVE", reason: "second all clear" }, META);
    expect((await getUnpauseReview(db, operator, book.id)).resume).toMatchObject({ reason: "second all clear" });
  });

  it("a campaign that was never paused has no pause or resume to show", async () => {
    const { businessId } = await businessWithKey();
    const book = await activeBook(businessId, { codes: 1 });
    const review = await getUnpauseReview(db, await opsUser("Ines"), book.id);
    expect(review).toMatchObject({ pause: null, resume: null, sincePause: null, sinceResume: null, campaign: { status: "ACTIVE" } });
  });

  it("a pause by the guard has no user behind it; an unknown campaign is BOOK_NOT_FOUND", async () => {
    const { businessId } = await businessWithKey();
    const book = await activeBook(businessId, { codes: 1 });
    const operator = await opsUser("Omar");
    await db.transaction((tx) => setCampaignStatus(tx, { kind: "system", name: "guard" }, META, { bookId: book.id, status: "PAUSED", reason: "12 failures in 5 min" }));

    const review = await getUnpauseReview(db, operator, book.id);
    expect(review.pause).toMatchObject({ actor: "system:guard", actorName: null, reason: "12 failures in 5 min", takenOverFrom: null });
    await expect(getUnpauseReview(db, operator, randomUUID())).rejects.toMatchObject({ code: "BOOK_NOT_FOUND" });
  });
});
