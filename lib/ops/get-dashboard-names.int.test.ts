import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "@/db/client";
import { promoAttempts, redemptionAudit, users } from "@/db/schema";
import { hashCode } from "@/lib/promo/hashing";
import { activeBook, businessWithKey } from "@/testing/fixtures";
import { getDashboard } from "./dashboard";
import { getDashboardNames } from "./get-dashboard-names";

const minutesAgo = (minutes: number) => sql`now() - make_interval(mins => ${minutes}::int)`;

describe("getDashboardNames", () => {
  it("names the sellers, campaigns and pausing accounts a dashboard lists, and nothing else", async () => {
    const alpha = await businessWithKey("Alpha Goods");
    const beta = await businessWithKey("Beta Wares");
    const unlisted = await businessWithKey("Quiet Shop");
    const spring = await activeBook(alpha.businessId, { codes: 1, pattern: "SPRING-{XXXXXX}", overrides: { name: "Spring", codePrefix: "SPRING-" } });
    const [operator] = await db.insert(users).values({ email: "oncall@ops.test", name: "On call", role: "ops", passwordHash: "x" }).returning();
    const heldByOps = await activeBook(beta.businessId, { codes: 0, overrides: { name: "Held", status: "PAUSED", pausedBy: `ops:${operator!.id}` } });
    const heldByGuard = await activeBook(alpha.businessId, { codes: 0, overrides: { name: "Guarded", status: "PAUSED", pausedBy: "system:guard" } });
    await activeBook(unlisted.businessId, { codes: 0, overrides: { name: "Unlisted" } });
    await db.insert(redemptionAudit).values([
      { businessId: beta.businessId, bookId: heldByOps.id, action: "PAUSE", actor: `ops:${operator!.id}`, at: minutesAgo(5), details: { reason: "leak" } },
      { businessId: alpha.businessId, bookId: heldByGuard.id, action: "PAUSE", actor: "system:guard", at: minutesAgo(6) },
    ]);
    // An unknown code under Spring's prefix, tried by two shoppers: a candidate attributed to Spring.
    await db.insert(promoAttempts).values(
      ["u1", "u2"].map((userId) => ({
        businessId: alpha.businessId,
        normalizedCodeHash: hashCode("SPRING-NOPE"),
        codePrefix: "SPRING-",
        attributedBookId: spring.id,
        userId,
        result: "INVALID" as const,
        reason: "UNKNOWN_CODE",
        attemptedAt: minutesAgo(3),
      })),
    );

    const dashboard = await getDashboard(db, { window: "1h" });
    expect(dashboard.guard.candidateAbusiveHashes).toHaveLength(1);
    expect(await getDashboardNames(db, dashboard)).toEqual({
      businesses: { [alpha.businessId]: "Alpha Goods", [beta.businessId]: "Beta Wares" },
      // Only the candidate's campaign: the paused ones come named in the DTO.
      books: { [spring.id]: "Spring" },
      accounts: { [`ops:${operator!.id}`]: "oncall@ops.test" },
    });

    // The filtered seller is named even when nothing of theirs is listed.
    const quiet = await getDashboard(db, { window: "1h", businessId: unlisted.businessId });
    expect(await getDashboardNames(db, quiet)).toEqual({ businesses: { [unlisted.businessId]: "Quiet Shop" }, books: {}, accounts: {} });
  });

  it("answers empty maps for a dashboard that names nothing, and leaves an unknown seller id unnamed", async () => {
    const empty = await getDashboard(db, { window: "24h" });
    expect(await getDashboardNames(db, empty)).toEqual({ businesses: {}, books: {}, accounts: {} });
    const unknown = await getDashboard(db, { window: "24h", businessId: "00000000-0000-4000-8000-000000000000" });
    expect(await getDashboardNames(db, unknown)).toEqual({ businesses: {}, books: {}, accounts: {} });
  });
});
