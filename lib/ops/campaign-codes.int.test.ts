import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "@/db/client";
import { couponCodes } from "@/db/schema";
import type { Actor } from "@/lib/auth/actor";
import { activeBook, businessWithKey } from "@/testing/fixtures";
import { disableCampaignCodes, enableCampaignCodes } from "./campaign-codes";

const META = { ip: null, userAgent: null };
const sellerOf = (businessId: string): Actor => ({ kind: "user", role: "seller", userId: randomUUID(), businessId });

describe("disabling and enabling codes from the seller console", () => {
  it("a seller changes their own book's codes; another business's book is not found and stays as it was", async () => {
    const mine = await businessWithKey();
    const theirs = await businessWithKey();
    const book = await activeBook(mine.businessId, { codes: 3 });
    const other = await activeBook(theirs.businessId, { codes: 2 });
    const [first] = await db.select({ code: couponCodes.code }).from(couponCodes).where(eq(couponCodes.bookId, book.id));

    expect(await disableCampaignCodes(db, sellerOf(mine.businessId), book.id, { codes: [first!.code] }, META)).toMatchObject({ updated: 1, unchanged: 0 });
    expect(await enableCampaignCodes(db, sellerOf(mine.businessId), book.id, { all: true }, META)).toMatchObject({ updated: 1, unchanged: 2 });

    await expect(disableCampaignCodes(db, sellerOf(mine.businessId), other.id, { all: true }, META)).rejects.toMatchObject({ code: "BOOK_NOT_FOUND" });
    const untouched = await db.select({ status: couponCodes.status }).from(couponCodes).where(eq(couponCodes.bookId, other.id));
    expect(untouched.map((c) => c.status)).toEqual(["AVAILABLE", "AVAILABLE"]);
  });
});
