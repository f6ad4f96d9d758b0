import { and, eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { POST as assignRandomRoute } from "@/app/api/assignments/random/route";
import { db } from "@/db/client";
import { apiKeys, couponAssignments, couponCodes, redemptionAudit } from "@/db/schema";
import { assignRandom } from "@/testing/coupon-api";
import { activeBook, businessWithKey, genericBook } from "@/testing/fixtures";
import { call } from "@/testing/http";
import { overrideSettings, restoreSettings } from "@/testing/settings";

afterEach(restoreSettings);

const auditOf = (bookId: string) => db.select().from(redemptionAudit).where(and(eq(redemptionAudit.bookId, bookId), eq(redemptionAudit.action, "ASSIGN")));

// The claim is one statement (lib/coupons/create-assignment.ts): these pin what each of its parts must still do.
describe("assignRandomCoupon's claim statement", () => {
  it("wraps around: codes that all sit below the random start are handed out, each once, then NO_CODES_AVAILABLE", async () => {
    const { token, businessId } = await businessWithKey();
    const book = await activeBook(businessId, { codes: 5 });
    // Key 0 lies below every start but 0, so each pick comes from the wrap-around branch.
    await db.update(couponCodes).set({ randomKey: 0 }).where(eq(couponCodes.bookId, book.id));
    const won = [];
    for (let i = 0; i < 5; i++) {
      const res = await assignRandom({ token }, { couponBookId: book.id, userId: `wrap-${i}` });
      expect(res.status).toBe(201);
      won.push(res.body.code);
    }
    expect(new Set(won).size).toBe(5);
    const empty = await assignRandom({ token }, { couponBookId: book.id, userId: "wrap-late" });
    expect([empty.status, empty.body]).toEqual([409, { error: "This coupon book has no codes left to assign", code: "NO_CODES_AVAILABLE", couponBookId: book.id }]);
  });

  it("writes the assignment, the code's ASSIGNED and the audit row with the caller's label, ip and user agent", async () => {
    const { token, businessId } = await businessWithKey();
    const book = await activeBook(businessId, { codes: 2, overrides: { maxRedeemsPerUser: 3 } });
    overrideSettings({ TRUSTED_PROXY_HOPS: "1" });
    const res = await call(assignRandomRoute, {
      path: "/api/assignments/random",
      token,
      body: { couponBookId: book.id, userId: "ana" },
      headers: { "x-forwarded-for": "203.0.113.9", "user-agent": "assign-test/1.0" },
    });
    expect(res.status).toBe(201);
    const [code] = await db.select().from(couponCodes).where(eq(couponCodes.code, res.body.code));
    expect(code!.status).toBe("ASSIGNED");
    const [assignment] = await db.select().from(couponAssignments).where(eq(couponAssignments.id, res.body.id));
    expect(assignment).toMatchObject({ codeId: code!.id, bookId: book.id, businessId, userId: "ana", shared: false, status: "ASSIGNED", redeemCount: 0 });
    const [key] = await db.select({ id: apiKeys.id }).from(apiKeys).where(eq(apiKeys.businessId, businessId));
    expect(await auditOf(book.id)).toEqual([
      expect.objectContaining({
        businessId,
        codeId: code!.id,
        assignmentId: assignment!.id,
        userId: "ana",
        actor: `apiKey:${key!.id}`,
        previousStatus: "AVAILABLE",
        newStatus: "ASSIGNED",
        redeemCount: 0,
        maxRedeems: 3,
        isFinalRedeem: null,
        ip: "203.0.113.9",
        userAgent: "assign-test/1.0",
        details: null,
      }),
    ]);
  });

  it("a refused claim changes nothing: at the cap no code is picked, marked or audited", async () => {
    const { token, businessId } = await businessWithKey();
    const book = await activeBook(businessId, { codes: 3 });
    expect((await assignRandom({ token }, { couponBookId: book.id, userId: "ana" })).status).toBe(201);
    const refused = await assignRandom({ token }, { couponBookId: book.id, userId: "ana" });
    expect([refused.status, refused.body]).toEqual([409, { error: "This user already holds 1 code(s) of this book", code: "MAX_CODES_PER_USER_REACHED", maxCodesPerUser: 1 }]);
    const statuses = await db.select({ status: couponCodes.status }).from(couponCodes).where(eq(couponCodes.bookId, book.id));
    expect(statuses.map((s) => s.status).sort()).toEqual(["ASSIGNED", "AVAILABLE", "AVAILABLE"]);
    expect(await auditOf(book.id)).toHaveLength(1);
  });

  it("a GENERIC book hands its public code to each user once, leaves it AVAILABLE, and audits the first claim only", async () => {
    const { token, businessId } = await businessWithKey();
    const book = await genericBook(businessId, "WELCOME10");
    for (const userId of ["ana", "bob"]) {
      const res = await assignRandom({ token }, { couponBookId: book.id, userId });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ code: "WELCOME10", userId, status: "ASSIGNED" });
    }
    const again = await assignRandom({ token }, { couponBookId: book.id, userId: "ana" });
    expect([again.status, again.body]).toEqual([409, { error: "This coupon is already assigned to this user", code: "COUPON_ALREADY_ASSIGNED" }]);
    const [code] = await db.select().from(couponCodes).where(eq(couponCodes.bookId, book.id));
    expect(code!.status).toBe("AVAILABLE");
    const audit = await auditOf(book.id);
    expect(audit.map((a) => [a.userId, a.previousStatus, a.newStatus]).sort()).toEqual([
      ["ana", null, "ASSIGNED"],
      ["bob", null, "ASSIGNED"],
    ]);
  });
});
