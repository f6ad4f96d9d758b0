import { and, count, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "@/db/client";
import { authenticateUser } from "@/lib/auth/users";
import { businesses, couponBooks, couponCodes, products, users } from "@/db/schema";
import { DEMO_BUSINESS, DEMO_PASSWORD, DEMO_SECOND_BUSINESS, DEMO_USERS, seedDemoData } from "./seed";

describe("demo seed", () => {
  it("creates the demo businesses, users, products and three ACTIVE books, and is safe to run twice", async () => {
    const first = await seedDemoData(db);
    expect(first.createdUsers).toHaveLength(5);
    expect(first.createdBooks).toEqual(["Summer 2026", "Welcome 10%", "Trail Club 15%"]);
    expect(first.generatedCodes).toBe(700);

    const second = await seedDemoData(db);
    expect(second).toEqual({ businessId: first.businessId, createdUsers: [], createdBooks: [], generatedCodes: 0 });

    expect(await db.select().from(businesses).where(eq(businesses.name, DEMO_BUSINESS))).toHaveLength(1);
    expect((await db.select({ n: count() }).from(users))[0]!.n).toBe(5);
    expect((await db.select({ n: count() }).from(products))[0]!.n).toBe(6);
    const [trail] = await db.select().from(businesses).where(eq(businesses.name, DEMO_SECOND_BUSINESS));
    const [offer] = await db.select().from(couponBooks).where(eq(couponBooks.businessId, trail!.id));
    expect(offer).toMatchObject({ name: "Trail Club 15%", status: "ACTIVE", selfServiceClaim: true, generatedCount: 500 });
    const books = await db.select().from(couponBooks).where(eq(couponBooks.businessId, first.businessId));
    expect(books.map((b) => [b.name, b.status, b.codeKind]).sort()).toEqual([
      ["Summer 2026", "ACTIVE", "UNIQUE"],
      ["Welcome 10%", "ACTIVE", "GENERIC"],
    ]);
    const summer = books.find((b) => b.name === "Summer 2026")!;
    expect([summer.discountType, summer.discountValue, summer.generatedCount, summer.codePrefix]).toEqual(["PERCENT", 20, 200, "SUMMER-"]);
    const codes = await db.select({ code: couponCodes.code }).from(couponCodes).where(eq(couponCodes.bookId, summer.id));
    expect(codes).toHaveLength(200);
    for (const { code } of codes) expect(code).toMatch(/^SUMMER-[23456789A-HJ-NP-Z]{6}$/);
    const welcome = await db
      .select()
      .from(couponCodes)
      .where(and(eq(couponCodes.businessId, first.businessId), eq(couponCodes.code, "WELCOME10")));
    expect(welcome).toHaveLength(1);

    for (const user of DEMO_USERS) {
      const signedIn = await authenticateUser(db, user.email, DEMO_PASSWORD);
      expect(signedIn?.role).toBe(user.role);
      expect(signedIn?.businessId).toBe(user.business === DEMO_BUSINESS ? first.businessId : user.business === DEMO_SECOND_BUSINESS ? trail!.id : null);
    }
  });
});
